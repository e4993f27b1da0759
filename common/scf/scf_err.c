// SPDX-License-Identifier: MIT
/*
 * scf_err.c - messages for the attach errors and the errno values the
 * shadow answers with.  Freestanding: no strerror() here.
 */
#include "scf_region.h"

const char *scf_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:			return "success";
	case SCF_EBADMAGIC:	return "region magic is not \\x7fSCF";
	case SCF_EBADVERSION:	return "region ABI version mismatch";
	case SCF_EBADCAP:	return "capacity is not a power of two in range";
	case SCF_EBADOFF:	return "region offsets are misaligned or overlap";
	case SCF_ETOOSMALL:	return "region is smaller than its header claims";
	case SCF_EBADSLOT:	return "SCF slot count or number out of range";
	case SCF_EBADRING:	return "unknown ring discipline";
	case SCF_EBADQMAGIC:	return "slot's queue page is not formatted";
	case SCF_EPERM:		return "operation not permitted";
	case SCF_ENOENT:	return "no such file or directory";
	case SCF_EINTR:		return "interrupted";
	case SCF_EBADF:		return "bad file descriptor";
	case SCF_EAGAIN:	return "resource temporarily unavailable";
	case SCF_ENOMEM:	return "out of memory";
	case SCF_EFAULT:	return "bad address";
	case SCF_EBUSY:		return "busy";
	case SCF_EINVAL:	return "invalid argument";
	case SCF_ENOSPC:	return "ring full";
	case SCF_ERANGE:	return "out of range";
	case SCF_ENOSYS:	return "not forwarded (not on the allowlist)";
	case SCF_EPROTO:	return "peer broke the ring protocol";
	case SCF_EOVERFLOW:	return "value too large";
	case SCF_ETIMEDOUT:	return "timed out";
	default:		return "unknown error";
	}
}
