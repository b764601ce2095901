/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
/*
 * SIP messages for the avaya_sip suite, copied byte for byte from the
 * captures in shared/captures/sip/ (ndpi-sip.pcap: nDPI, LGPL-3.0;
 * heplify-sip_ipv4_tcp.pcap: sipcapture/heplify, AGPL-3.0). One C line per
 * SIP line.
 */
#ifndef _AVAYA_SIP_VECTORS_H
#define _AVAYA_SIP_VECTORS_H

/* ndpi-sip.pcap frame 1: REGISTER from a UA behind NAT, valueless rport */
static const char sip_ndpi_register[] =
	"REGISTER sip:sip.cybercity.dk SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;branch=z9hG4bKnp151248737-46ea715e192.168.1.2;rport\r\n"
	"From: <sip:voi18063@sip.cybercity.dk>;tag=903df0a\r\n"
	"To: <sip:voi18063@sip.cybercity.dk>\r\n"
	"Call-ID: 578222729-4665d775@578222732-4665d772\r\n"
	"Contact:  <sip:voi18063@192.168.1.2:5060;line=9c7d2dbd8822013c>;expires=1200;q=0.500\r\n"
	"Expires: 1200\r\n"
	"CSeq: 68 REGISTER\r\n"
	"Content-Length: 0\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: Nero SIPPS IP Phone Version 2.0.51.16\r\n"
	"\r\n";

/* ndpi-sip.pcap frame 2: 401 with received= and rport=5060 */
static const char sip_ndpi_401[] =
	"SIP/2.0 401 Unauthorized\r\n"
	"Call-ID: 578222729-4665d775@578222732-4665d772\r\n"
	"CSeq: 68 REGISTER\r\n"
	"From: <sip:voi18063@sip.cybercity.dk>;tag=903df0a\r\n"
	"To: <sip:voi18063@sip.cybercity.dk>;tag=00-04092-1701af62-120c67172\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;received=80.230.219.70;rport=5060;branch=z9hG4bKnp151248737-46ea715e192.168.1.2\r\n"
	"WWW-Authenticate: Digest realm=\"sip.cybercity.dk\",nonce=\"1701af566be182070084c6f740706bb\",opaque=\"1701a1351f70795\",stale=false,algorithm=MD5\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* ndpi-sip.pcap frame 18: 200 OK to REGISTER, Contact with expires */
static const char sip_ndpi_200_register[] =
	"SIP/2.0 200 OK\r\n"
	"Call-ID: 578222729-4665d775@578222732-4665d772\r\n"
	"Contact: <sip:voi18062@192.168.1.2:5060;line=aca6b97ca3f5e51a>;q=0.500;expires=1200\r\n"
	"CSeq: 75 REGISTER\r\n"
	"From: <sip:voi18062@sip.cybercity.dk>;tag=6bac55c\r\n"
	"P-Associated-URI: <sip:35104723@sip.cybercity.dk>\r\n"
	"To: <sip:voi18062@sip.cybercity.dk>;tag=00-04081-1701b256-5586b7324\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;received=80.230.219.70;rport=5060;branch=z9hG4bKnp112903503-43a64480192.168.1.2\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* ndpi-sip.pcap frame 22: INVITE with SDP, m=audio 30000 */
static const char sip_ndpi_invite[] =
	"INVITE sip:97239287044@voip.brujula.net SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnp104984053-44ce4a41192.168.1.2;rport\r\n"
	"From: \"arik\" <sip:816666@voip.brurjula.net>;tag=6433ef9\r\n"
	"To: <sip:97239287044@voip.brujula.net>\r\n"
	"Call-ID: 105090259-446faf7a@192.168.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"User-Agent: Nero SIPPS IP Phone Version 2.0.51.16\r\n"
	"Expires: 120\r\n"
	"Accept: application/sdp\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 272\r\n"
	"Contact: <sip:816666@192.168.1.2>\r\n"
	"Max-Forwards: 70\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, REFER, OPTIONS, NOTIFY, INFO\r\n"
	"\r\n"
	"v=0\r\n"
	"o=SIPPS 105015165 105015162 IN IP4 192.168.1.2\r\n"
	"s=SIP call\r\n"
	"c=IN IP4 192.168.1.2\r\n"
	"t=0 0\r\n"
	"m=audio 30000 RTP/AVP 0 8 97 2 3\r\n"
	"a=rtpmap:0 pcmu/8000\r\n"
	"a=rtpmap:8 pcma/8000\r\n"
	"a=rtpmap:97 iLBC/8000\r\n"
	"a=rtpmap:2 G726-32/8000\r\n"
	"a=rtpmap:3 GSM/8000\r\n"
	"a=fmtp:97 mode=20\r\n"
	"a=sendrecv\r\n";

/* ndpi-sip.pcap frame 27: CANCEL */
static const char sip_ndpi_cancel[] =
	"CANCEL sip:97239287044@voip.brujula.net SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;branch=z9hG4bKnp104984053-44ce4a41192.168.1.2;rport\r\n"
	"From: \"arik\" <sip:816666@voip.brurjula.net>;tag=6433ef9\r\n"
	"To: <sip:97239287044@voip.brujula.net>\r\n"
	"Call-ID: 105090259-446faf7a@192.168.1.2\r\n"
	"CSeq: 1 CANCEL\r\n"
	"Content-Length: 0\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: Nero SIPPS IP Phone Version 2.0.51.16\r\n"
	"\r\n";

/* ndpi-sip.pcap frame 61: REGISTER removing the binding, expires=0 */
static const char sip_ndpi_unregister[] =
	"REGISTER sip:sip.cybercity.dk SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;branch=z9hG4bKnp62913665-430aa2da192.168.1.2;rport\r\n"
	"From: <sip:voi18062@sip.cybercity.dk>;tag=3bffccc\r\n"
	"To: <sip:voi18062@sip.cybercity.dk>\r\n"
	"Call-ID: 578222729-4665d775@578222732-4665d772\r\n"
	"Contact:  <sip:voi18062@192.168.1.2:5060>;expires=0;q=0.750\r\n"
	"Expires: 0\r\n"
	"CSeq: 76 REGISTER\r\n"
	"Content-Length: 0\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: Nero SIPPS IP Phone Version 2.0.51.16\r\n"
	"\r\n";

/* ndpi-sip.pcap frame 92: 183 with SDP */
static const char sip_ndpi_183[] =
	"SIP/2.0 183 In band info available\r\n"
	"Allow: UPDATE,REFER\r\n"
	"Call-ID: 11894297-4432a9f8@192.168.1.2\r\n"
	"Contact: <sip:212.242.33.35:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"CSeq: 2 INVITE\r\n"
	"From: \"arik\" <sip:35104723@sip.cybercity.dk>;tag=b56e6e\r\n"
	"Server: Cirpack/v4.38e (gw_sip)\r\n"
	"To: <sip:35104724@sip.cybercity.dk>;tag=00-04075-1701baa2-2dfdf7c21\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2;received=80.230.219.70;rport=5060;branch=z9hG4bKnp10144774-4725f980192.168.1.2\r\n"
	"Content-Length: 199\r\n"
	"\r\n"
	"v=0\r\n"
	"o=cp10 112047106116 112047106116 IN IP4 212.242.33.75\r\n"
	"s=SIP Call\r\n"
	"c=IN IP4 212.242.33.36\r\n"
	"t=0 0\r\n"
	"m=audio 40392 RTP/AVP 8 0\r\n"
	"b=AS:64\r\n"
	"a=rtpmap:8 PCMA/8000/1\r\n"
	"a=rtpmap:0 PCMU/8000/1\r\n"
	"a=ptime:20\r\n";

/* heplify-sip_ipv4_tcp.pcap frame 3: INVITE over TCP with SDP */
static const char sip_hep_invite[] =
	"INVITE sip:201@10.33.6.101;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 10.33.6.100;branch=z9hG4bKac1589375893;alias\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:101@10.33.6.100>;tag=1c1589367133\r\n"
	"To: <sip:201@10.33.6.101;user=phone>\r\n"
	"Call-ID: 158936656982201062716@10.33.6.100\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:101@10.33.6.100:5060;transport=tcp>\r\n"
	"Supported: em,timer,replaces,path,resource-priority,sdp-anat\r\n"
	"Allow: REGISTER,OPTIONS,INVITE,ACK,CANCEL,BYE,NOTIFY,PRACK,REFER,INFO,SUBSCRIBE,UPDATE\r\n"
	"User-Agent: IPP/v.6.20A.027.012\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 228\r\n"
	"\r\n"
	"v=0\r\n"
	"o=IPP 1589356486 1589356361 IN IP4 10.33.6.100\r\n"
	"s=Phone-Call\r\n"
	"c=IN IP4 10.33.6.100\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 8 13 101\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15,16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

/* heplify-sip_ipv4_tcp.pcap frame 9: 200 OK with SDP */
static const char sip_hep_200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/TCP 10.33.6.100;branch=z9hG4bKac1589375893;alias\r\n"
	"From: <sip:101@10.33.6.100>;tag=1c1589367133\r\n"
	"To: <sip:201@10.33.6.101;user=phone>;tag=1c342958875\r\n"
	"Call-ID: 158936656982201062716@10.33.6.100\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:201@10.33.6.101:5060;transport=tcp>\r\n"
	"Supported: em,timer,replaces,path,early-session,resource-priority\r\n"
	"Allow: REGISTER,OPTIONS,INVITE,ACK,CANCEL,BYE,NOTIFY,PRACK,REFER,INFO,SUBSCRIBE,UPDATE\r\n"
	"Server: GW/v.6.20A.027.012\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 225\r\n"
	"\r\n"
	"v=0\r\n"
	"o=GW 343007640 343007510 IN IP4 10.33.6.101\r\n"
	"s=Phone-Call\r\n"
	"c=IN IP4 10.33.6.101\r\n"
	"t=0 0\r\n"
	"m=audio 6050 RTP/AVP 8 13 101\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15,16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

/* heplify-sip_ipv4_tcp.pcap frame 81: BYE */
static const char sip_hep_bye[] =
	"BYE sip:101@10.33.6.100:5060;transport=tcp SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 10.33.6.101;branch=z9hG4bKac359152811;alias\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:201@10.33.6.101;user=phone>;tag=1c342958875\r\n"
	"To: <sip:101@10.33.6.100>;tag=1c1589367133\r\n"
	"Call-ID: 158936656982201062716@10.33.6.100\r\n"
	"CSeq: 1 BYE\r\n"
	"Supported: em,timer,replaces,path,early-session,resource-priority\r\n"
	"Allow: REGISTER,OPTIONS,INVITE,ACK,CANCEL,BYE,NOTIFY,PRACK,REFER,INFO,SUBSCRIBE,UPDATE\r\n"
	"User-Agent: GW/v.6.20A.027.012\r\n"
	"Reason: Q.850 ;cause=16 ;text=\"local\"\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/*
 * Built by the project (checked with tshark's SIP/SDP dissectors): compact
 * header names, IPv6 in the Request-URI, Via, Contact and c=, two Via
 * values in one field with LWS around ',' and ';', two Contacts in one field,
 * a=rtcp and a media-level c= with a TTL.
 */
static const char sip_edge_compact_v6[] =
	"INVITE sip:bob@[2001:db8::2]:5062 SIP/2.0\r\n"
	"v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport\r\n"
	"V: SIP/2.0/TCP proxy.example.com , SIP/2.0/UDP 10.0.0.1:5070 ;received=192.0.2.7;rport=6000\r\n"
	"f: <sip:alice@example.com>;tag=a1\r\n"
	"t: \"Bob\" <sip:bob@example.com>\r\n"
	"i: c1@example.com\r\n"
	"CSeq: 10 INVITE\r\n"
	"m: <sip:alice@[2001:db8::1]:5060>;expires=60, sip:alice@10.0.0.1:5070;expires=30\r\n"
	"c: application/SDP\r\n"
	"l: 156\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP6 2001:db8::1\r\n"
	"s=-\r\n"
	"c=IN IP6 2001:db8::1\r\n"
	"t=0 0\r\n"
	"m=audio 30000 RTP/AVP 0\r\n"
	"a=rtcp:30011\r\n"
	"m=video 30002 RTP/AVP 96\r\n"
	"c=IN IP4 192.0.2.9/127\r\n";

/*
 * Folded Via and Contact fields, bare LF line ends, LWS around the colons
 * (RFC 3261 HCOLON; tshark's dissector refuses the HT before "CSeq"'s colon
 * and the SP in "192.168.1.2 : 5060", everything else it reads as we do).
 */
static const char sip_edge_folded[] =
	"REGISTER sip:registrar.example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP\n"
	" 192.168.1.2 : 5060\n"
	"\t;branch=z9hG4bKf;rport\n"
	"From: <sip:u@example.com>;tag=f1\n"
	"To: <sip:u@example.com>\n"
	"Call-ID: fold@example.com\n"
	"CSeq\t: 2 REGISTER\n"
	"Contact: <sip:u@192.168.1.2:5060>\n"
	" ;expires=3600\n"
	"Expires: 3600\n"
	"Content-Length: 0\n"
	"\n";

/* "Contact: *" with lower- and upper-case header names, no LWS after ':'. */
static const char sip_edge_star[] =
	"REGISTER sip:example.com SIP/2.0\r\n"
	"via:SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKs\r\n"
	"FROM: <sip:u@example.com>;tag=s1\r\n"
	"to: <sip:u@example.com>\r\n"
	"call-id: star@example.com\r\n"
	"cseq: 3 REGISTER\r\n"
	"contact: *\r\n"
	"expires: 0\r\n"
	"content-length: 0\r\n"
	"\r\n";

/* Five Via values and five m= lines: four are kept, overflow is flagged. */
static const char sip_edge_overflow[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKb\r\n"
	"Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKc\r\n"
	"Via: SIP/2.0/UDP 10.0.0.4:5060;branch=z9hG4bKd, SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKe\r\n"
	"From: <sip:a@example.com>;tag=o1\r\n"
	"To: <sip:b@example.com>;tag=o2\r\n"
	"Call-ID: ovf@example.com\r\n"
	"CSeq: 7 INVITE\r\n"
	"Contact: <sip:b@10.0.0.9>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 179\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 2 2 IN IP4 10.0.0.9\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.9\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"m=audio 4002 RTP/AVP 0\r\n"
	"m=audio 4004 RTP/AVP 0\r\n"
	"m=audio 4006 RTP/AVP 0\r\n"
	"m=audio 4008 RTP/AVP 0";

/* Content-Length announces more body than the datagram holds. */
static const char sip_edge_short_body[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKsb\r\n"
	"From: <sip:a@example.com>;tag=sb\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: short@example.com\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 500\r\n"
	"\r\n"
	"v=0\r\n";

/* ndpi-http_on_sip_port.pcap frame 3: HTTP from TCP port 5060 */
static const char sip_http_get[] =
	"GET /star-123456/index.m3u8?token=89b198b8844824ca15b8b379c26fc1b7dfcba368-5KUJTJ5Y73AGIAOV-1618753174-1618742374 HTTP/1.1\r\n"
	"User-Agent: exoplayer-codelab\r\n"
	"Host: 45.58.148.2\r\n"
	"Connection: Keep-Alive\r\n"
	"Accept-Encoding: gzip\r\n"
	"\r\n";

/* ndpi-http_on_sip_port.pcap frame 4, headers only */
static const char sip_http_403[] =
	"HTTP/1.1 403 Forbidden\r\n"
	"Connection: keep-alive\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/*
 * Review 2026-11-30, L7: a second Content-Length, even an equal one. NAT
 * rewrote only the last, and a receiver reading the first misframed the
 * stream, so any repetition is malformed.
 */
static const char sip_dup_clen_equal[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 192.168.1.2:5060;branch=z9hG4bKdc1\r\n"
	"From: <sip:a@example.com>;tag=dc1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: dup1@example.com\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 56\r\n"
	"Content-Length: 56\r\n"
	"\r\n"
	"v=0\r\n"
	"c=IN IP4 192.168.1.2\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"a=x\r\n";

/* Long and compact forms, in other cases, equal values. */
static const char sip_dup_clen_compact[] =
	"OPTIONS sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 192.168.1.2:5060;branch=z9hG4bKdc2\r\n"
	"CONTENT-LENGTH: 0\r\n"
	"L: 0\r\n"
	"\r\n";

/* Three of them, the last two differing. */
static const char sip_dup_clen_three[] =
	"OPTIONS sip:bob@example.com SIP/2.0\r\n"
	"l: 2\r\n"
	"content-length: 2\r\n"
	"Content-Length : 1\r\n"
	"\r\n"
	"xy";

/*
 * Project-built multipart bodies (RFC 2046): a SIP-I INVITE (SDP next to
 * binary ISUP), a nested multipart/alternative under a quoted boundary with
 * a preamble, a line that starts like the boundary, padding after a
 * delimiter and a part Content-Length; no SDP part; no delimiter at all; no
 * close delimiter.
 */
static const char sip_mp_sipi[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-mp1\r\n"
	"From: <sip:100@10.0.1.2>;tag=mp1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: mp-1@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed;boundary=unique-boundary-1\r\n"
	"Content-Length: 374\r\n"
	"\r\n"
	"--unique-boundary-1\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4711 1 IN IP4 10.0.1.2\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.1.2\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0 8\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"\r\n"
	"--unique-boundary-1\r\n"
	"Content-Type: application/isup;version=itu-t92+\r\n"
	"Content-Disposition: signal;handling=optional\r\n"
	"Content-Transfer-Encoding: binary\r\n"
	"\r\n"
	"\001\000I\000\000\003\002\000\007\004\020\0003c!C\000\000\003\006\r\003\200\220\242\000\r\n"
	"--unique-boundary-1--\r\n";

static const char sip_mp_nested[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-mp1\r\n"
	"From: <sip:100@10.0.1.2>;tag=mp1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: mp-1@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
	"Content-Length: 439\r\n"
	"\r\n"
	"This is a preamble.\r\n"
	"--outer\r\n"
	"Content-Type: application/isup\r\n"
	"\r\n"
	"\001\000I\000\000\003\002\000\007\004\020\0003c!C\000\000\003\006\r\003\200\220\242\000\r\n"
	"--outer   \r\n"
	"Content-Type: multipart/alternative; boundary=outer2\r\n"
	"\r\n"
	"--outer2\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"no media here\r\n"
	"--outer-not\r\n"
	"--outer2\r\n"
	"content-type: Application/SDP\r\n"
	"Content-Length: 112\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4711 2 IN IP4 10.0.1.3\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.1.3\r\n"
	"t=0 0\r\n"
	"m=audio 5004 RTP/AVP 0 8\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"\r\n"
	"--outer2--\r\n"
	"\r\n"
	"--outer--\r\n"
	"epilogue\r\n";

static const char sip_mp_nosdp[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-mp1\r\n"
	"From: <sip:100@10.0.1.2>;tag=mp1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: mp-1@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed;boundary=b3\r\n"
	"Content-Length: 76\r\n"
	"\r\n"
	"--b3\r\n"
	"Content-Type: application/isup\r\n"
	"\r\n"
	"\001\000I\000\000\003\002\000\007\004\020\0003c!C\000\000\003\006\r\003\200\220\242\000\r\n"
	"--b3--\r\n";

static const char sip_mp_nodelim[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-mp1\r\n"
	"From: <sip:100@10.0.1.2>;tag=mp1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: mp-1@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed;boundary=b4\r\n"
	"Content-Length: 146\r\n"
	"\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4711 1 IN IP4 10.0.1.2\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.1.2\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0 8\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

static const char sip_mp_noclose[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-mp1\r\n"
	"From: <sip:100@10.0.1.2>;tag=mp1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: mp-1@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/related;type=\"application/sdp\";boundary=b5\r\n"
	"Content-Length: 219\r\n"
	"\r\n"
	"--b5\r\n"
	"Content-Type: application/isup\r\n"
	"\r\n"
	"\001\000I\000\000\003\002\000\007\004\020\0003c!C\000\000\003\006\r\003\200\220\242\000\r\n"
	"--b5\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4711 1 IN IP4 10.0.1.5\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.1.5\r\n"
	"t=0 0\r\n"
	"m=audio 7078 RTP/AVP 0 8\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* A boundary of 71 characters, one more than RFC 2046 allows. */
static const char sip_mp_longbnd[] =
	"SIP/2.0 200 OK\r\n"
	"c: multipart/mixed;boundary=0123456789012345678901234567890123456789012345678901234567890123456789X\r\n"
	"l: 5\r\n"
	"\r\n"
	"m=x\r\n";

/*
 * IPv6 hosts written without [] (issue 15 item 6), as some phones send
 * them: nine groups are an address and a port, with "::" the whole run is
 * the host.
 */
static const char sip_bare_v6_invite[] =
	"INVITE sip:4321@fec0:0:0:0:216:d3ff:fe0d:22d:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP fec0:0:0:0:216:d3ff:fe0d:22c:5060;branch=z9hG4bK-v6\r\n"
	"From: <sip:1234@fec0:0:0:0:216:d3ff:fe0d:22c>;tag=v6a\r\n"
	"To: <sip:4321@fec0:0:0:0:216:d3ff:fe0d:22d>\r\n"
	"Call-ID: v6bare@fec0::22c\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:1234@fec0::216:d3ff:fe0d:22c;transport=udp>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 115\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP6 fec0::216:d3ff:fe0d:22c\r\n"
	"s=-\r\n"
	"c=IN IP6 fec0::216:d3ff:fe0d:22c\r\n"
	"t=0 0\r\n"
	"m=audio 5004 RTP/AVP 0\r\n";

/* A Contact that cannot be read (no '>'): the SDP is still used. */
static const char sip_skip_contact[] =
	"INVITE sip:200@10.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-skip\r\n"
	"From: <sip:100@10.0.1.2>;tag=sk1\r\n"
	"To: <sip:200@10.0.2.2>\r\n"
	"Call-ID: skip@10.0.1.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:100@10.0.1.2:5060\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 86\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.1.2\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.1.2\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0\r\n";

/*
 * Review of f35dcc3 (multipart): a part ending in a lone CR (read 64 KiB
 * past the body), RFC 3959 early-session first, multipart/alternative
 * (the last is preferred), compact names in a part, duplicate
 * Content-Type (message and part), a folded part header, a second
 * boundary=, an escape in a quoted boundary, an empty multipart body, an
 * empty nested multipart, a part header over 1024 bytes.
 */
static const char sip_rv_midpart_cr[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 46\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\r\n"
	"--B--\r\n";

static const char sip_rv_early[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 323\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Disposition: early-session\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Disposition: session\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_alt[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/alternative;boundary=B\r\n"
	"Content-Length: 257\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_compact_c[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 246\r\n"
	"\r\n"
	"--B\r\n"
	"c: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_dup_msg_ct[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 132\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_dup_ct[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 283\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: text/plain\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_folded[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 134\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type:\r\n"
	" application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_dup_bnd[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=A;boundary=B\r\n"
	"Content-Length: 264\r\n"
	"\r\n"
	"--A\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--A--\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_qesc[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=\"a\\\"b\"\r\n"
	"Content-Length: 264\r\n"
	"\r\n"
	"--a\\\"b\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--a\"b\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--a\"b--\r\n";

static const char sip_rv_empty[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv_nested_empty[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 183\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: multipart/mixed;boundary=C\r\n"
	"\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv_longct[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.1>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.1:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 1235\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp;x=yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

/*
 * Review of 8a73195 (skipped headers, bare IPv6): an SDP in a mixed part
 * that is the last alternative, Contact/Via entries of a skipped line, a
 * bare host with LWS before its port, an unreadable Expires, a bare
 * Request-URI host that is no address, a CR inside a header line (twice),
 * a second Content-Disposition, an unreadable CSeq followed by another.
 */
static const char sip_rv2_alt_nested[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.5:5060>\r\n"
	"Content-Type: multipart/alternative;boundary=A\r\n"
	"Content-Length: 355\r\n"
	"\r\n"
	"--A\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.5\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.5\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--A\r\n"
	"Content-Type: multipart/mixed;boundary=M\r\n"
	"\r\n"
	"--M\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"hello\r\n"
	"--M\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.7\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.7\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--M--\r\n"
	"\r\n"
	"--A--\r\n";

static const char sip_rv2_ct_keep[] =
	"REGISTER sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:a@10.0.0.5:5062>, <sip:a@10.0.0.5:23> junk\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv2_via_keep[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9 junk\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv2_bare_lws[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 2001:db8::5 : 5060;branch=z9\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@::ffff:10.0.0.5>\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv2_exp_bad[] =
	"REGISTER sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:a@10.0.0.5:5062>\r\n"
	"Expires: x\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv2_bare_host[] =
	"INVITE sip:b@abc:1:2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP face:b00c:5060;branch=z9\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@1.2.3.4:5060:5062>\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char sip_rv2_crline[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"\r\r\n"
	"Contact: <sip:a@10.0.0.5:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 85\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.5\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.5\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n";

static const char sip_rv2_cr_cseq_clen[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\rContent-Length: 500\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 85\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.5\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.5\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n";

static const char sip_rv2_dup_disp[] =
	"INVITE sip:b@192.0.2.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@10.0.0.5:5060>\r\n"
	"Content-Type: multipart/mixed;boundary=B\r\n"
	"Content-Length: 323\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Disposition: early-session\r\n"
	"Content-Disposition: session\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.5\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.5\r\n"
	"t=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: application/sdp\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.7\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.7\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"\r\n"
	"--B--\r\n";

static const char sip_rv2_cseq3[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n"
	"From: <sip:a@10.0.0.5>;tag=1\r\n"
	"To: <sip:b@192.0.2.2>;tag=2\r\n"
	"Call-ID: x@10.0.0.5\r\n"
	"CSeq: 1 INVITE x\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:a@10.0.0.5:5062>;expires=3600\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

#endif /* _AVAYA_SIP_VECTORS_H */
