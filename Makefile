# SPDX-License-Identifier: GPL-2.0-only
#
# make [KDIR=...]     build avaya_codec.ko, nf_conntrack_avaya.ko, nf_nat_avaya.ko
# make install        modules_install into updates/avaya + depmod
# make check          the whole test suite (installs what it needs; see README)
# make check-debug    every VM scenario on a KASAN/lockdep/kmemleak kernel
# make check-peers    sip_split_media: a carrier behind kamailio + rtpengine
# make check-perf     perf_forward and scale_registrations (issue 16)
# make check-deb      the package installed by dpkg in a guest per kernel,
#                     and the kernel-upgrade path (DKMS under TCG: too long
#                     for make check)
# make demo           the registration story, told by a VM
# make style          checkpatch.pl --strict on our sources
# make kunit          the KUnit suites on UML
# make bench          instructions per message against the stock helpers
# make dkms-install   register and build the source with DKMS
# make deb           the Debian package nf-conntrack-avaya-dkms in build/deb/
#
# Targets that are not Kbuild's own live here; Kbuild holds the object list.

PACKAGE := nf_conntrack_avaya
# The one place of the version: the first debian/changelog entry.
VERSION := $(shell sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' $(CURDIR)/debian/changelog 2>/dev/null)

# The running kernel's build dir when it exists (an appliance), else the
# newest installed Debian amd64 headers (a build host without modules).
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; [ -d $$d ] && echo $$d || \
	ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | grep -v -e cloud -e -rt- | sort -V | tail -n 1)
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl \
	$(HOME)/.cache/nf-avaya/linux-6.1/scripts/checkpatch.pl))
STYLE_FILES := $(wildcard *.c include/*.h lib/*.c tests/kunit/*.c tests/kunit/*.h tests/unit/*.c)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/unit clean
	rm -rf build

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates/avaya modules_install
	depmod -a $(KVER)

style:
	@test -n "$(CHECKPATCH)" || { echo "style: checkpatch.pl not found (install linux-source-6.1 or run scripts/deps.sh)"; exit 2; }
	perl $(CHECKPATCH) --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $(filter %.c %.h,$(STYLE_FILES))

kunit:
	scripts/kunit.sh

unit:
	$(MAKE) -C tests/unit

bench:
	$(MAKE) -C tests/bench run

check:
	scripts/check.sh

# The debug-kernel lane: the kernel is built once into the cache (its cold
# build does not fit in CI), then every tests/vm scenario runs on it.
# The package installed in a guest per kernel (DKMS builds under TCG: too
# long for make check), and on the older kernel the upgrade to the newer one.
check-deb: deb
	CHECK_ONLY=vm CHECK_SCENARIOS=deb_install scripts/check.sh
	k=$$(scripts/kernels.sh | sort -V | head -n 1); \
	AVAYA_VM_TIMEOUT=2700 scripts/vm-run.sh "$$k" tests/vm/deb_install.sh --upgrade

# SIP trunk with real peers whose media comes from another address
# (kamailio + rtpengine + baresip, several minutes per kernel under TCG).
check-peers:
	CHECK_ONLY=vm CHECK_SCENARIOS=sip_split_media scripts/check.sh

# Issue 16's VM benchmarks at their reduced size (AVAYA_SCALE=20000 for the
# full one): 6-11 minutes per kernel, beyond make check's budget.
check-perf:
	CHECK_ONLY="build vm" CHECK_SCENARIOS="perf_forward scale_registrations" scripts/check.sh

check-debug:
	scripts/deps.sh
	scripts/debug-kernel.sh
	CHECK_ONLY="build vm" CHECK_KERNELS=debug scripts/check.sh

demo:
	scripts/demo.sh

# `dkms add` only once: a second add fails, a real failure must not be hidden.
dkms-install:
	@test -n "$(VERSION)" -a -n "$(KVER)" || { echo "dkms-install: no version or KVER"; exit 2; }
	rm -rf /usr/src/$(PACKAGE)-$(VERSION)
	mkdir -p /usr/src/$(PACKAGE)-$(VERSION)
	cp -a Kbuild Makefile nf_conntrack_avaya.c nf_nat_avaya.c include lib \
		/usr/src/$(PACKAGE)-$(VERSION)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > /usr/src/$(PACKAGE)-$(VERSION)/dkms.conf
	dkms status -m $(PACKAGE) -v $(VERSION) | grep -q . || dkms add -m $(PACKAGE) -v $(VERSION)
	dkms build -m $(PACKAGE) -v $(VERSION) -k $(KVER)
	dkms install -m $(PACKAGE) -v $(VERSION) -k $(KVER)

# The package is built in a copy under build/deb (dpkg-buildpackage writes
# debian/ staging trees and puts the .deb one level up): the source tree
# stays clean. Only what the package ships is copied.
DEB_DIR := $(CURDIR)/build/deb
DEB_TREE := $(DEB_DIR)/nf-conntrack-avaya-$(VERSION)
DEB_FILES := Kbuild dkms.conf nf_conntrack_avaya.c nf_nat_avaya.c README debian \
	$(wildcard include/*.h lib/*.c) \
	scripts/avaya-nft-profile scripts/avaya-prom $(wildcard scripts/matrices/*.tsv) \
	$(wildcard contrib/*)
DEB := $(DEB_DIR)/nf-conntrack-avaya-dkms_$(VERSION)_all.deb

deb:
	@test -n "$(VERSION)" || { echo "deb: no version in debian/changelog"; exit 2; }
	rm -rf $(DEB_TREE) $(DEB_DIR)/*.deb $(DEB_DIR)/*.buildinfo $(DEB_DIR)/*.changes
	mkdir -p $(DEB_TREE)
	tar -cf - $(DEB_FILES) | tar -xf - -C $(DEB_TREE)
	cd $(DEB_TREE) && dpkg-buildpackage -b -us -uc --no-sign > ../build.log 2>&1 || \
		{ tail -n 40 ../build.log; exit 1; }
	@echo "deb: $(DEB)"

# lintian on the package; fails on errors (warnings are printed).
deb-lint: deb
	lintian --info --display-info $(DEB) | tee $(DEB_DIR)/lintian.log
	@! grep -q '^E:' $(DEB_DIR)/lintian.log

.PHONY: all modules clean install style kunit unit bench check check-debug check-deb check-peers check-perf demo dkms-install deb deb-lint
