#!/usr/bin/env bash
# tests/profiles/check_profiles.sh: generate every nftables profile of
# scripts/avaya-nft-profile with example addresses and check it.
#
#  - static checks (parse the generated text): every row id of the profile's
#    data file appears as [ID]; no any-address (0.0.0.0/0); every live accept
#    rule names a source zone (ip saddr @zone) and a destination zone
#    (ip daddr @zone, a multicast group, or fib daddr type local in input);
#    known dynamic media ranges only appear in comments; no static rule opens
#    tcp/1720 towards the phones (that is the avaya-ras pinhole); every
#    'ct helper set' names a declared ct helper object; TLS ports carry a TLS
#    comment.
#  - kernel checks with `nft -c -f` (in a private network namespace when
#    `unshare -n` works).  nft -c runs the whole transaction against the
#    running kernel and aborts it, so a `ct helper` object whose type the
#    kernel does not know (avaya-* without nf_conntrack_avaya loaded) is
#    rejected with ENOENT.  When that is the case the script:
#      * checks that the unmodified file fails ONLY on avaya-* helper objects
#        and on the rules that use them (PASS "only-helper-errors"), and prints
#        SKIP for the unmodified file;
#      * validates a copy in which the avaya-* helper types are replaced by the
#        kernel's stock ones (RAS, Q.931, sip), or, if those are not there
#        either, a copy without helper objects and 'ct helper set'.
#    With the avaya helpers registered (e.g. in the VM harness after
#    insmod nf_conntrack_avaya.ko) the unmodified file is validated directly.
#
# Environment: NFT=path-to-nft (default: nft from PATH), NO_UNSHARE=1 to run
#   nft -c in the current namespace, KEEP=dir to keep the generated files.
# Output: PASS:/FAIL:/SKIP: lines, then "N passed, M failed, K skipped".
# Exit status: non-zero when anything failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
gen="$repo/scripts/avaya-nft-profile"
matrices="$repo/scripts/matrices"
NFT=${NFT:-nft}

pass=0; fail=0; skip=0
ok()   { echo "PASS: $*"; pass=$((pass+1)); }
bad()  { echo "FAIL: $*"; fail=$((fail+1)); }
skp()  { echo "SKIP: $*"; skip=$((skip+1)); }

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

PROFILES="h323-handsets ip-office-9.1 presence-8.1.2 cc-elite-mc-6.6"
# Example zones: RFC 1918 10/8 and RFC 5737 documentation prefixes.
ZONEARGS=(--phones 10.20.0.0/16,10.21.5.0/24 --servers 192.0.2.0/25
          --trunk 203.0.113.0/24 --admin 198.51.100.16/28
          --gk-src-ports 61440-61444)

# ---------------------------------------------------------------- CLI checks
if out=$("$gen" --list 2>&1); then
    missing=""
    for p in $PROFILES; do grep -q "^$p " <<<"$out" || missing="$missing $p"; done
    [ -z "$missing" ] && ok "--list prints all profiles" || bad "--list lacks:$missing"
else
    bad "--list exited non-zero: $out"
fi
if "$gen" h323-handsets --phones 0.0.0.0/0 >/dev/null 2>&1; then
    bad "--phones 0.0.0.0/0 was accepted"
else
    ok "--phones 0.0.0.0/0 is refused"
fi
if "$gen" no-such-profile >/dev/null 2>&1; then
    bad "unknown profile accepted"
else
    ok "unknown profile is refused"
fi
if "$gen" h323-handsets --gk-src-ports 61450-61454 2>/dev/null \
        | grep -q 'tcp sport 61450-61454 tcp dport 1720'; then
    ok "--gk-src-ports reaches the registration pinhole comment"
else
    bad "--gk-src-ports 61450-61454 not reflected in h323-handsets"
fi

# ------------------------------------------------------------- generation
declare -A FILE
for p in $PROFILES; do
    f="$work/$p.nft"
    if "$gen" "$p" "${ZONEARGS[@]}" --out "$f" 2>"$work/$p.err"; then
        if grep -q . "$work/$p.err"; then
            bad "$p: generator printed warnings: $(head -1 "$work/$p.err")"
        else
            ok "$p: generated ($(wc -l <"$f") lines)"
        fi
        FILE[$p]=$f
    else
        bad "$p: generator failed: $(head -3 "$work/$p.err")"
    fi
done

# ----------------------------------------------------------- static checks
static_check() { # profile file tsv
    python3 - "$@" <<'PYEOF'
import ipaddress, re, sys
profile, path, tsv = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
lines = text.splitlines()
results = []
def res(ok, msg):
    results.append(("PASS" if ok else "FAIL", "%s: %s" % (profile, msg)))

# 1. every row id present as [ID]
ids = []
cols = None
for l in open(tsv, encoding="utf-8"):
    l = l.rstrip("\n")
    if not l or l.startswith("#"):
        continue
    f = l.split("\t")
    if cols is None:
        cols = f
        continue
    ids.append(f[0])
missing = [i for i in ids if "[%s]" % i not in text]
res(not missing and ids, "all %d row ids of %s appear in the output%s"
    % (len(ids), tsv.rsplit("/", 1)[-1], "" if not missing else "; missing: " + " ".join(missing)))

# live (non-comment) lines, with their chain
live = []
chain = None
for n, l in enumerate(lines, 1):
    s = l.strip()
    m = re.match(r"chain (\w+) \{", s)
    if m:
        chain = m.group(1)
    if not s or s.startswith("#"):
        continue
    live.append((n, chain, s))

# 2. no any-address
anyaddr = [n for n, c, s in live if re.search(r"\b0\.0\.0\.0/0\b|::/0", s)]
res(not anyaddr, "no 0.0.0.0/0 in live lines" + ("" if not anyaddr else " (lines %s)" % anyaddr))

# 3. every live accept rule names source and destination zones
exempt = (re.compile(r"^ct state [\w,]+ accept$"), re.compile(r'^iif "lo" accept$'),
          re.compile(r"^icmpv6 type \{[^}]*\} ip6 hoplimit 255 accept$"))
def daddr_ok(s, c):
    if re.search(r"\bip daddr @\w+", s):
        return True
    m = re.search(r"\bip daddr (\d+\.\d+\.\d+\.\d+)\b", s)
    if m and ipaddress.ip_address(m.group(1)).is_multicast:
        return True
    return c == "input" and "fib daddr type local" in s
badrules = []
nrules = 0
for n, c, s in live:
    if not re.search(r"\baccept\b", s) or any(e.match(s) for e in exempt):
        continue
    nrules += 1
    if not re.search(r"\bip saddr @\w+", s) or not daddr_ok(s, c):
        badrules.append(n)
res(nrules > 0 and not badrules, "%d accept rules all name a saddr zone and a daddr zone%s"
    % (nrules, "" if not badrules else "; offending lines %s" % badrules))

# 4. dynamic media ranges only in comments
dyn = ("40750-50750", "46750-50750", "32768-61000", "47000-54000", "2048-3329")
hits = [(n, r) for n, c, s in live for r in dyn
        if re.search(r"(?<![\d-])%s(?![\d-])" % re.escape(r), s)]
res(not hits, "dynamic ranges %s only appear commented%s"
    % ("/".join(dyn), "" if not hits else "; live at %s" % hits))

# 5. no static rule towards the phones' tcp/1720 (avaya-ras pinhole only)
rev = [n for n, c, s in live if "ip daddr @phones" in s and re.search(r"tcp dport 1720\b", s)]
res(not rev, "no static rule opens tcp/1720 towards @phones" + ("" if not rev else " (lines %s)" % rev))

# 6. ct helper set names a declared object
declared = set(re.findall(r"^\s*ct helper ([\w.-]+) \{", text, re.M))
used = {m for n, c, s in live for m in re.findall(r'ct helper set "([\w.-]+)"', s)}
undeclared = sorted(used - declared)
res(not undeclared, "ct helper set uses declared helper objects (%s)%s"
    % (", ".join(sorted(used)) or "none used",
       "" if not undeclared else "; undeclared: " + ", ".join(undeclared)))

# 7. TLS ports carry a TLS comment in their row block
tls_bad = []
for i, (n, c, s) in enumerate(live):
    if re.search(r"tcp dport (5061|1300)\b", s):
        block = []
        k = n - 2
        while k >= 0 and (lines[k].strip().startswith("#") or lines[k].strip().startswith("ip ")):
            block.append(lines[k])
            if "# [" in lines[k]:
                break
            k -= 1
        if not any("TLS" in b for b in block):
            tls_bad.append(n)
res(not tls_bad, "TLS ports 5061/1300 are commented as not inspectable"
    + ("" if not tls_bad else " (lines %s)" % tls_bad))

for kind, msg in results:
    print("%s: %s" % (kind, msg))
PYEOF
}

declare -A TSV=([h323-handsets]=h323-handsets.tsv [ip-office-9.1]=ip-office-9.1.tsv
                [presence-8.1.2]=presence-8.1.2.tsv [cc-elite-mc-6.6]=cc-elite-mc-6.6.tsv)
for p in $PROFILES; do
    [ -n "${FILE[$p]:-}" ] || continue
    grep -q '10.21.5.0/24' "${FILE[$p]}" && grep -q '198.51.100.16/28' "${FILE[$p]}" \
        && ok "$p: zone sets carry the given prefixes" \
        || bad "$p: given zone prefixes missing from the sets"
    while IFS= read -r line; do
        case "$line" in
            PASS:*) ok "${line#PASS: }" ;;
            FAIL:*) bad "${line#FAIL: }" ;;
            *) bad "$p: static check: $line" ;;
        esac
    done < <(static_check "$p" "${FILE[$p]}" "$matrices/${TSV[$p]}" 2>&1)
done

# ------------------------------------------------------------- nft -c checks
nft_c() { # file -> prints nft's stderr, returns nft's status
    if [ -n "$UNSHARE" ]; then
        unshare -n "$NFT" -c -f "$1" 2>&1 >/dev/null
    else
        "$NFT" -c -f "$1" 2>&1 >/dev/null
    fi
}

if ! command -v "$NFT" >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
        && [ "$NFT" = nft ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nftables >/dev/null 2>&1 || true
fi

nft_ready=""
if ! command -v "$NFT" >/dev/null 2>&1; then
    why="nft not found (set NFT=/path/to/nft or apt-get install nftables)"
else
    UNSHARE=""
    if [ -z "${NO_UNSHARE:-}" ] && unshare -n true 2>/dev/null; then UNSHARE=1; fi
    cat >"$work/probe.nft" <<'EOF'
table inet avaya_probe {
	chain forward { type filter hook forward priority filter; policy drop; }
}
EOF
    if err=$(nft_c "$work/probe.nft"); then
        nft_ready=1
    else
        why="kernel rejects nft -c of a minimal table: $(head -1 <<<"$err")"
    fi
fi

if [ -z "$nft_ready" ]; then
    for p in $PROFILES; do skp "$p: nft -c: $why"; done
else
    echo "# nft: $("$NFT" --version 2>&1 | head -1); kernel $(uname -r);" \
         "namespace: $([ -n "$UNSHARE" ] && echo 'private (unshare -n)' || echo current)"
    probe_helper() { # type proto
        printf 'table inet avaya_probe {\n\tct helper h { type "%s" protocol %s; }\n}\n' "$1" "$2" \
            >"$work/probe-helper.nft"
        nft_c "$work/probe-helper.nft" >/dev/null
    }
    avaya_ok=1
    for t in "avaya-ras udp" "avaya-q931 tcp" "avaya-sip udp" "avaya-sip tcp"; do
        probe_helper $t || avaya_ok=""
    done
    stock_ok=1
    for t in "RAS udp" "Q.931 tcp" "sip udp" "sip tcp"; do
        probe_helper $t || stock_ok=""
    done
    if [ -z "$avaya_ok" ]; then
        echo "# kernel has no avaya-* conntrack helpers registered (nf_conntrack_avaya not loaded):" \
             "ct helper objects of those types fail nft -c with ENOENT"
    fi
    for p in $PROFILES; do
        f=${FILE[$p]:-}
        [ -n "$f" ] || continue
        uses_avaya=""
        grep -q 'type "avaya-' "$f" && uses_avaya=1
        if [ -n "$avaya_ok" ] || [ -z "$uses_avaya" ]; then
            if err=$(nft_c "$f"); then
                ok "$p: nft -c -f accepts the ruleset"
            else
                bad "$p: nft -c -f: $(grep -m3 Error <<<"$err" | tr '\n' ' ')"
            fi
            continue
        fi
        # Kernel lacks the avaya helpers: the file must fail only on them.
        err=$(nft_c "$f")
        st=$?
        if [ $st -eq 0 ]; then
            ok "$p: nft -c -f accepts the ruleset"
            continue
        fi
        other=""
        nerr=0
        while IFS= read -r loc; do
            nerr=$((nerr+1))
            ln=${loc%%:*}
            text=$(sed -n "${ln}p" "$f")
            case "$text" in
                *'ct helper avaya-'*'{'*|*'ct helper set "avaya-'*) ;;
                *) other="$other $ln" ;;
            esac
        done < <(grep -o "^$f:[0-9]*:" <<<"$err" | sed "s|^$f:||")
        if [ $nerr -gt 0 ] && [ -z "$other" ]; then
            ok "$p: nft -c -f fails only on the $nerr avaya-* helper lines (objects and the rules using them)"
        else
            bad "$p: nft -c -f errors outside the avaya-* helpers (lines:${other:- none parsed}): $(grep -m2 Error <<<"$err" | tr '\n' ' ')"
        fi
        skp "$p: nft -c of the unmodified file needs nf_conntrack_avaya loaded (run it in the VM harness)"
        if [ -n "$stock_ok" ]; then
            sed -e 's/type "avaya-ras"/type "RAS"/; s/type "avaya-q931"/type "Q.931"/' \
                -e 's/type "avaya-sip"/type "sip"/' "$f" >"$work/$p.stock.nft"
            how="avaya-* helper types replaced by the kernel's RAS/Q.931/sip"
        else
            python3 - "$f" >"$work/$p.stock.nft" <<'PYEOF'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r"\n\tct helper [\w.-]+ \{\n[^}]*\}\n", "\n", t)
t = re.sub(r' ct helper set "[\w.-]+"', "", t)
sys.stdout.write(t)
PYEOF
            how="helper objects and ct helper set removed (kernel has no H.323/SIP helpers)"
        fi
        if err=$(nft_c "$work/$p.stock.nft"); then
            ok "$p: nft -c -f accepts the ruleset with $how"
        else
            bad "$p: nft -c -f ($how): $(grep -m3 Error <<<"$err" | tr '\n' ' ')"
        fi
    done
fi

# --media-peers: the module option, and what the module would refuse.
mp_out=$(python3 "$gen" h323-handsets --phones 10.1.0.0/16 --servers 10.2.0.0/24 \
	--trunk 203.0.113.0/24 --admin 10.9.0.0/24 --matrices "$matrices" \
	--media-peers '10.2.0.50, 2001:db8:5::1/64' --modprobe-out "$work/mp.conf" 2>/dev/null)
if grep -qx '#   options nf_conntrack_avaya media_peers=10.2.0.50/32,2001:db8:5::/64' <<<"$mp_out" &&
	grep -qx 'options nf_conntrack_avaya media_peers=10.2.0.50/32,2001:db8:5::/64' "$work/mp.conf"; then
	ok "--media-peers: normalised module option in the header and in --modprobe-out"
else
	bad "--media-peers: option line missing or not normalised"
fi
for v in 0.0.0.0/0 ::/0 10.2.0.300 "$(seq -s, -f '10.9.%g.0/24' 1 33)"; do
	if python3 "$gen" h323-handsets --matrices "$matrices" --media-peers "$v" >/dev/null 2>&1; then
		bad "--media-peers ${v:0:20}: accepted"
	else
		ok "--media-peers ${v:0:20}: refused"
	fi
done
if python3 "$gen" h323-handsets --matrices "$matrices" --modprobe-out "$work/x.conf" >/dev/null 2>&1; then
	bad "--modprobe-out without --media-peers: accepted"
else
	ok "--modprobe-out without --media-peers: refused"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
