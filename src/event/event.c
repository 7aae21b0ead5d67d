/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.c - the field table expanded from event-fields.def, setters, and
 * the JSON and text renderings of an event.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/time.h>

const struct ty_field_info ty_fields[TY_F__COUNT] = {
#define TY_FIELD(id, name, type, store, ecs) {name, TY_FT_##type, TY_FS_##store, ecs},
#include <tyto/event-fields.def>
#undef TY_FIELD
};

int ty_field_lookup(struct ty_str name)
{
    for (int i = 0; i < TY_F__COUNT; i++)
        if (ty_str_eq_cstr(name, ty_fields[i].name))
            return i;
    return -1;
}

void ty_event_clear(struct ty_event *ev)
{
    memset(ev->present, 0, sizeof(ev->present));
    ev->raw = TY_STR_NULL;
    ev->offset = 0;
    ev->line = 0;
    ev->format = NULL;
    ev->sub = 0;
    ev->raw_json = NULL;
}

void ty_event_set_str(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    if (!s.p || !s.len)
        return;
    ev->v[f].s = s;
    ty_event_mark(ev, f);
}

void ty_event_set_int(struct ty_event *ev, enum ty_field f, int64_t i)
{
    ev->v[f].i = i;
    ty_event_mark(ev, f);
}

void ty_event_set_ip(struct ty_event *ev, enum ty_field f, const struct ty_ip *ip)
{
    ev->v[f].ip = *ip;
    ty_event_mark(ev, f);
}

void ty_event_set_addr(struct ty_event *ev, enum ty_field ip_field, enum ty_field addr_field,
                       struct ty_str s)
{
    struct ty_ip ip;
    if (!s.p || !s.len)
        return;
    if (ty_ip_parse(s, &ip) == 0)
        ty_event_set_ip(ev, ip_field, &ip);
    else
        ty_event_set_str(ev, addr_field, s);
}

int ty_event_field_text(const struct ty_event *ev, enum ty_field f, struct ty_buf *out)
{
    char tmp[64];
    if (!ty_event_has(ev, f))
        return 0;
    switch (ty_fields[f].type) {
    case TY_FT_TIME: {
        int prec = (int)ty_event_int(ev, TY_F_TS_PREC, 9);
        ty_time_format(ev->v[f].i, prec, tmp);
        return ty_buf_adds(out, tmp);
    }
    case TY_FT_INT:
        return ty_buf_addf(out, "%lld", (long long)ev->v[f].i);
    case TY_FT_IP:
        ty_ip_format(&ev->v[f].ip, tmp);
        return ty_buf_adds(out, tmp);
    case TY_FT_STR:
        return ty_buf_addstr(out, ev->v[f].s);
    }
    return 0;
}

int ty_event_to_json(const struct ty_event *ev, struct ty_buf *out)
{
    int rc = ty_buf_addc(out, '{');
    bool first = true;
    char tmp[64];
    for (int f = 0; f < TY_F__COUNT && rc == 0; f++) {
        if (!ty_event_has(ev, (enum ty_field)f))
            continue;
        rc = ty_buf_addf(out, "%s\"%s\":", first ? "" : ",", ty_fields[f].name);
        first = false;
        if (rc)
            break;
        switch (ty_fields[f].type) {
        case TY_FT_TIME:
            ty_time_format(ev->v[f].i, (int)ty_event_int(ev, TY_F_TS_PREC, 9), tmp);
            rc = ty_buf_addf(out, "\"%s\"", tmp);
            break;
        case TY_FT_INT:
            rc = ty_buf_addf(out, "%lld", (long long)ev->v[f].i);
            break;
        case TY_FT_IP:
            ty_ip_format(&ev->v[f].ip, tmp);
            rc = ty_buf_addf(out, "\"%s\"", tmp);
            break;
        case TY_FT_STR:
            rc = ty_buf_add_json_str(out, ev->v[f].s);
            break;
        }
    }
    if (rc == 0 && ev->format)
        rc = ty_buf_addf(out, "%s\"format\":\"%s\"", first ? "" : ",", ev->format);
    if (rc == 0)
        rc = ty_buf_addf(out, ",\"offset\":%llu,\"line\":%llu", (unsigned long long)ev->offset,
                         (unsigned long long)ev->line);
    if (rc == 0 && ev->sub)
        rc = ty_buf_addf(out, ",\"sub\":%u", ev->sub);
    if (rc == 0)
        rc = ty_buf_addc(out, '}');
    return rc;
}
