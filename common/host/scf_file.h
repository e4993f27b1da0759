/* SPDX-License-Identifier: MIT */
/*
 * scf_file.h - result files: written whole or not at all.
 */
#ifndef SCF_FILE_H
#define SCF_FILE_H

#include <stddef.h>

/*
 * Write buf to a temporary file beside path, fsync it, and rename it into
 * place, so a reader (or an interrupted run) never sees half a file.
 * 0 or -errno; on error the temporary file is gone.
 */
int scf_write_atomic(const char *path, const void *buf, size_t len);
/* mkdir -p: 0, or -errno (-ENOTDIR when a component is not a directory). */
int scf_mkdirs(const char *path);

#endif /* SCF_FILE_H */
