/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen-bodyfile.c - a deterministic TSK 3.x bodyfile for the filesystem
 * timeline tests and bench: an ext4-like tree of N lines (directories,
 * files, links, deleted names without metadata, NTFS-style inodes and
 * streams, names with spaces, quotes, commas, '|' and %XX), with --quirks
 * also the lines mactime treats oddly (comments, blanks, headers, -1 and
 * fractional times, 11-digit times, odd inodes, repeated names).
 * Usage: gen-bodyfile [--lines N] [--seed S] [--quirks] [--out FILE]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static const char *const dirs[] = {"etc", "usr/bin", "usr/lib/x86_64-linux-gnu", "var/log",
                                   "home/alice", "home/bob/.ssh", "tmp", "var/lib/docker/overlay2",
                                   "opt/app", "root", "dev/shm", "var/spool/cron/crontabs",
                                   "Windows/System32", "Users/Public"};
static const char *const words[] = {"config", "data", "libc", "bash", "kworker", "report",
                                    "notes", "id_rsa", "authorized_keys", "cache", "index",
                                    "backup", "syslog", "session", "x", "run"};
static const char *const exts[] = {"", ".txt", ".so.6", ".log", ".sh", ".json", ".gz", ".pub"};

int main(int argc, char **argv)
{
    uint64_t lines = 100000, seed = 1;
    int quirks = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--lines") && i + 1 < argc)
            lines = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--quirks"))
            quirks = 1;
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else {
            fprintf(stderr, "usage: gen-bodyfile [--lines N] [--seed S] [--quirks] [--out FILE]\n");
            return 2;
        }
    }
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        perror(out);
        return 1;
    }
    static char iobuf[1 << 20];
    setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
    rng_state = seed;
    const int64_t base = 1700000000;
    for (uint64_t n = 0; n < lines; n++) {
        unsigned kind = pick(100);
        unsigned d = pick(sizeof(dirs) / sizeof(dirs[0]));
        char name[256];
        snprintf(name, sizeof(name), "/%s/%s%u%s", dirs[d], words[pick(16)], pick(5000),
                 exts[pick(8)]);
        int64_t m = base + (int64_t)pick(86400 * 30), a = m + pick(3) * pick(100000),
                c = m + (pick(2) ? 0 : pick(600)), b = pick(4) ? m - pick(1000) : 0;
        uint64_t ino = 100000 + n;
        if (quirks && kind < 12) {
            switch (kind) {
            case 0:
                fputs("# a comment line\n", f);
                continue;
            case 1:
                fputs(pick(2) ? "\n" : "  \t \n", f);
                continue;
            case 2: /* a name with '|' (mactime drops the line) */
                fprintf(f, "0|/tmp/a|b %u|%llu|r/rrw-r--r--|0|0|5|%lld|%lld|%lld|0\n", pick(9),
                        (unsigned long long)ino, (long long)a, (long long)m, (long long)c);
                continue;
            case 3: /* -1 and fractional times */
                fprintf(f, "0|/data/frac%u|%llu|r/rrw-r--r--|1000|1000|42|%lld.%06u|-1|%lld|0\n",
                        pick(50), (unsigned long long)ino, (long long)a, pick(1000000),
                        (long long)c);
                continue;
            case 4: /* an 11-digit time sorts before 10-digit ones */
                fprintf(f, "0|/future/f%u|%llu|r/rrw-r--r--|0|0|1|%lld|10000000000|%lld|0\n",
                        pick(20), (unsigned long long)ino, (long long)a, (long long)c);
                continue;
            case 5: /* NTFS inode and stream, quotes and commas in names */
                fprintf(f,
                        "0|/Users/Public/\"quoted, name\".exe:Zone.Identifier|%llu-128-%u|"
                        "r/rrwxrwxrwx|0|0|26|%lld|%lld|%lld|%lld\n",
                        (unsigned long long)ino, pick(9), (long long)a, (long long)m,
                        (long long)c, (long long)b);
                continue;
            case 6: /* %XX in names, repeated names with other metadata */
                fprintf(f, "0|/tmp/%%41%%7cdup%u|%llu|r/rrw-------|%u|0|%u|%lld|%lld|%lld|0\n",
                        pick(30), (unsigned long long)ino, pick(3), pick(1000), (long long)a,
                        (long long)m, (long long)c);
                continue;
            case 7: /* all zero (dropped) and odd inodes */
                if (pick(2))
                    fprintf(f, "0|/lost%u (deleted)|0|r/----------|0|0|0|0|0|0|0\n", pick(100));
                else
                    fprintf(f, "0|/odd/i%u|12a|r/rrw-r--r--|0|0|1|%lld|%lld|%lld|0\n", pick(9),
                            (long long)a, (long long)m, (long long)c);
                continue;
            case 8: /* a header line, a mode with ':' */
                if (pick(2))
                    fputs("MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime\n",
                          f);
                else
                    fprintf(f, "0|/weird/mode%u|%llu|r/r:w|0|0|7|%lld|%lld|%lld|0\n", pick(9),
                            (unsigned long long)ino, (long long)a, (long long)m, (long long)c);
                continue;
            case 9: /* md5 column, uid with a space, CRLF */
                fprintf(f,
                        "d41d8cd98f00b204e9800998ecf8427e|/win/crlf%u.txt|%llu|r/rrw-r--r--|0 1|"
                        "0|3|%lld|%lld|%lld|%lld\r\n",
                        pick(9), (unsigned long long)ino, (long long)a, (long long)m,
                        (long long)c, (long long)b);
                continue;
            case 10: /* trailing empty fields, extra fields */
                if (pick(2))
                    fprintf(f, "0|/short%u|%llu|r/rrw-r--r--|0|0|3|%lld|%lld|%lld|\n", pick(9),
                            (unsigned long long)ino, (long long)a, (long long)m, (long long)c);
                else
                    fprintf(f, "0|/long%u|%llu|r/rrw-r--r--|0|0|3|%lld|%lld|%lld|%lld|x|y\n",
                            pick(9), (unsigned long long)ino, (long long)a, (long long)m,
                            (long long)c, (long long)b);
                continue;
            default: /* a symlink with a target */
                fprintf(f,
                        "0|/usr/bin/l%u -> ../lib/t|%llu|l/lrwxrwxrwx|0|0|8|%lld|%lld|%lld|%lld\n",
                        pick(99), (unsigned long long)ino, (long long)a, (long long)m,
                        (long long)c, (long long)b);
                continue;
            }
        }
        if (kind < 8) {
            fprintf(f, "0|%s (deleted)|0|r/----------|0|0|0|0|0|0|0\n", name);
        } else if (kind < 20) {
            fprintf(f, "0|/%s/sub%u|%llu|d/drwxr-xr-x|%u|%u|4096|%lld|%lld|%lld|%lld\n", dirs[d],
                    pick(300), (unsigned long long)ino, pick(2) ? 0 : 1000, pick(2) ? 0 : 1000,
                    (long long)a, (long long)m, (long long)c, (long long)b);
        } else {
            fprintf(f, "0|%s|%llu|r/rrw-r--r--|%u|%u|%u|%lld|%lld|%lld|%lld\n", name,
                    (unsigned long long)ino, pick(2) ? 0 : 1000, pick(2) ? 0 : 1000,
                    pick(5000000), (long long)a, (long long)m, (long long)c, (long long)b);
        }
    }
    if (fflush(f) != 0 || (out && fclose(f) != 0)) {
        perror("write");
        return 1;
    }
    return 0;
}
