// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 The nf_conntrack_avaya authors */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Bounds-checked H.225/H.245/SIP decoders for nf_conntrack_avaya");
MODULE_AUTHOR("The nf_conntrack_avaya authors");
