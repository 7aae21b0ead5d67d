/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event-summary.c - one human line per event for timelines and reports:
 * who did what to what, from where, with what result.
 */
#include <stdio.h>

#include <tyto/event.h>

static int add_field(struct ty_buf *b, const struct ty_event *ev, enum ty_field f,
                     const char *before)
{
    if (!ty_event_has(ev, f))
        return 0;
    int rc = ty_buf_adds(b, before);
    return rc ? rc : ty_event_field_text(ev, f, b);
}

static int add_endpoint(struct ty_buf *b, const struct ty_event *ev, enum ty_field ip,
                        enum ty_field addr, enum ty_field port)
{
    int rc = 0;
    if (ty_event_has(ev, ip))
        rc = ty_event_field_text(ev, ip, b);
    else if (ty_event_has(ev, addr))
        rc = ty_event_field_text(ev, addr, b);
    else
        rc = ty_buf_adds(b, "?");
    if (rc == 0 && ty_event_has(ev, port))
        rc = ty_buf_addf(b, ":%lld", (long long)ev->v[port].i);
    return rc;
}

static int human_bytes(struct ty_buf *b, int64_t n)
{
    if (n >= 10 * 1000 * 1000)
        return ty_buf_addf(b, "%.1f MB", (double)n / 1e6);
    if (n >= 10 * 1000)
        return ty_buf_addf(b, "%.1f kB", (double)n / 1e3);
    return ty_buf_addf(b, "%lld B", (long long)n);
}

static int flow_summary(const struct ty_event *ev, struct ty_buf *b)
{
    struct ty_str act = ty_event_str(ev, TY_F_ACTION);
    int rc = 0;
    if (act.len && !ty_str_eq_cstr(act, "flow"))
        return ty_buf_addf(b, "%.*s on %.*s", (int)act.len, act.p,
                           (int)ty_event_str(ev, TY_F_NET_IFACE).len,
                           ty_event_str(ev, TY_F_NET_IFACE).p);
    rc = add_endpoint(b, ev, TY_F_SRC_IP, TY_F_SRC_ADDR, TY_F_SRC_PORT);
    if (!rc)
        rc = ty_buf_adds(b, " -> ");
    if (!rc)
        rc = add_endpoint(b, ev, TY_F_DST_IP, TY_F_DST_ADDR, TY_F_DST_PORT);
    if (!rc && ty_event_has(ev, TY_F_NET_PROTO)) {
        int64_t p = ev->v[TY_F_NET_PROTO].i;
        rc = ty_buf_addf(b, " %s", p == 6 ? "tcp" : p == 17 ? "udp" : p == 1 ? "icmp" : "proto");
        if (!rc && p != 6 && p != 17 && p != 1)
            rc = ty_buf_addf(b, " %lld", (long long)p);
    }
    if (!rc && ty_event_has(ev, TY_F_BYTES_OUT)) {
        rc = ty_buf_adds(b, " ");
        if (!rc)
            rc = human_bytes(b, ev->v[TY_F_BYTES_OUT].i);
    }
    if (!rc)
        rc = add_field(b, ev, TY_F_PACKETS, " ");
    if (!rc && ty_event_has(ev, TY_F_PACKETS))
        rc = ty_buf_adds(b, " pkts");
    if (!rc)
        rc = add_field(b, ev, TY_F_DISPOSITION, " ");
    if (!rc)
        rc = add_field(b, ev, TY_F_NET_IFACE, " at ");
    return rc;
}

int ty_event_summary(const struct ty_event *ev, struct ty_buf *b)
{
    struct ty_str cat = ty_event_str(ev, TY_F_CATEGORY);
    int rc;
    if (ty_str_eq_cstr(cat, "network_flow"))
        return flow_summary(ev, b);

    /* actor action target from src (outcome) */
    bool any = false;
    if (ty_event_has(ev, TY_F_ACTOR)) {
        rc = ty_event_field_text(ev, TY_F_ACTOR, b);
        any = true;
    } else if (ty_event_has(ev, TY_F_PROC_USER)) {
        rc = ty_event_field_text(ev, TY_F_PROC_USER, b);
        any = true;
    } else {
        rc = 0;
    }
    if (!rc && ty_event_has(ev, TY_F_ACTION)) {
        rc = ty_buf_adds(b, any ? " " : "");
        if (!rc && ty_event_has(ev, TY_F_PROVIDER) && !ty_str_eq_cstr(
                       ty_event_str(ev, TY_F_PROVIDER), "kube-apiserver")) {
            struct ty_str p = ty_event_str(ev, TY_F_PROVIDER);
            /* "s3.amazonaws.com" -> "s3:" */
            ptrdiff_t dot = ty_str_chr(p, '.');
            rc = ty_buf_addf(b, "%.*s:", (int)(dot > 0 ? dot : (ptrdiff_t)p.len), p.p);
        }
        if (!rc)
            rc = ty_event_field_text(ev, TY_F_ACTION, b);
        any = true;
    }
    if (!rc) {
        if (ty_event_has(ev, TY_F_TARGET))
            rc = add_field(b, ev, TY_F_TARGET, " ");
        else if (ty_event_has(ev, TY_F_TARGET_NAME))
            rc = add_field(b, ev, TY_F_TARGET_NAME, " ");
        else if (ty_event_has(ev, TY_F_FILE_PATH))
            rc = add_field(b, ev, TY_F_FILE_PATH, " ");
    }
    if (!rc && ty_event_has(ev, TY_F_PROC_CMDLINE))
        rc = add_field(b, ev, TY_F_PROC_CMDLINE, " cmd: ");
    if (!rc && (ty_event_has(ev, TY_F_SRC_IP) || ty_event_has(ev, TY_F_SRC_ADDR))) {
        rc = ty_buf_adds(b, " from ");
        if (!rc)
            rc = add_endpoint(b, ev, TY_F_SRC_IP, TY_F_SRC_ADDR, TY_F_SRC_PORT);
    }
    if (!rc && ty_event_has(ev, TY_F_BYTES_OUT) && ev->v[TY_F_BYTES_OUT].i > 0) {
        rc = ty_buf_adds(b, " [");
        if (!rc)
            rc = human_bytes(b, ev->v[TY_F_BYTES_OUT].i);
        if (!rc)
            rc = ty_buf_adds(b, " out]");
    }
    if (!rc && ty_event_has(ev, TY_F_OUTCOME) &&
        !ty_str_eq_cstr(ty_event_str(ev, TY_F_OUTCOME), "success")) {
        rc = add_field(b, ev, TY_F_OUTCOME, " (");
        if (!rc)
            rc = add_field(b, ev, TY_F_STATUS_CODE, ": ");
        if (!rc)
            rc = ty_buf_adds(b, ")");
    }
    if (!rc && !any && ty_event_has(ev, TY_F_MESSAGE))
        rc = ty_event_field_text(ev, TY_F_MESSAGE, b);
    return rc;
}
