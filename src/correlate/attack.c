/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attack.c - MITRE ATT&CK (Enterprise) facts the correlator needs: the
 * tactics of techniques, read from a rule's tags (attack.initial_access,
 * attack.t1190) and, where a rule names a technique but no tactic, from a
 * table of the techniques cloud and host rules use. Sub-techniques take their
 * parent's tactics unless listed.
 */
#include <stdio.h>
#include <string.h>

#include "correlate/correlate-int.h"

static const struct {
    const char *tag;
    unsigned bit;
    const char *name;
} tactics[] = {
    {"reconnaissance", TY__T_RECON, "reconnaissance"},
    {"resource_development", TY__T_RESOURCE, "resource-development"},
    {"initial_access", TY__T_INITIAL, "initial-access"},
    {"execution", TY__T_EXECUTION, "execution"},
    {"persistence", TY__T_PERSISTENCE, "persistence"},
    {"privilege_escalation", TY__T_PRIVESC, "privilege-escalation"},
    {"defense_evasion", TY__T_EVASION, "defense-evasion"},
    {"credential_access", TY__T_CREDENTIAL, "credential-access"},
    {"discovery", TY__T_DISCOVERY, "discovery"},
    {"lateral_movement", TY__T_LATERAL, "lateral-movement"},
    {"collection", TY__T_COLLECTION, "collection"},
    {"command_and_control", TY__T_C2, "command-and-control"},
    {"exfiltration", TY__T_EXFIL, "exfiltration"},
    {"impact", TY__T_IMPACT, "impact"},
};

#define P TY__T_PERSISTENCE
#define X TY__T_EXECUTION
#define E TY__T_EVASION
#define PE TY__T_PRIVESC
#define IA TY__T_INITIAL
#define CA TY__T_CREDENTIAL
#define D TY__T_DISCOVERY
#define LM TY__T_LATERAL
#define C TY__T_COLLECTION
#define CC TY__T_C2
#define EX TY__T_EXFIL
#define IM TY__T_IMPACT
static const struct {
    const char *id;
    unsigned tactics;
} techniques[] = {
    {"T1003", CA}, {"T1005", C}, {"T1021", LM}, {"T1027", E}, {"T1036", E},
    {"T1040", CA | D}, {"T1041", EX}, {"T1046", D}, {"T1048", EX}, {"T1053", X | P | PE},
    {"T1055", E | PE}, {"T1056", C | CA}, {"T1057", D}, {"T1059", X}, {"T1068", PE},
    {"T1069", D}, {"T1070", E}, {"T1071", CC}, {"T1072", X | LM}, {"T1074", C},
    {"T1078", IA | P | PE | E}, {"T1082", D}, {"T1083", D}, {"T1087", D}, {"T1090", CC},
    {"T1095", CC}, {"T1098", P | PE}, {"T1105", CC}, {"T1106", X}, {"T1110", CA},
    {"T1119", C}, {"T1133", IA | P}, {"T1136", P}, {"T1140", E}, {"T1190", IA},
    {"T1195", IA}, {"T1199", IA}, {"T1204", X}, {"T1210", LM}, {"T1213", C},
    {"T1485", IM}, {"T1486", IM}, {"T1489", IM}, {"T1490", IM}, {"T1496", IM},
    {"T1498", IM}, {"T1499", IM}, {"T1505", P}, {"T1518", D}, {"T1525", P},
    {"T1526", D}, {"T1528", CA}, {"T1530", C}, {"T1531", IM}, {"T1537", EX},
    {"T1538", D}, {"T1543", P | PE}, {"T1546", P | PE}, {"T1547", P | PE}, {"T1548", PE | E},
    {"T1550", E | LM}, {"T1552", CA}, {"T1554", P}, {"T1556", CA | E | P}, {"T1562", E},
    {"T1564", E}, {"T1567", EX}, {"T1569", X}, {"T1570", LM}, {"T1571", CC},
    {"T1572", CC}, {"T1573", CC}, {"T1574", P | PE | E}, {"T1578", E}, {"T1580", D},
    {"T1584", TY__T_RESOURCE}, {"T1595", TY__T_RECON}, {"T1606", CA}, {"T1609", X},
    {"T1610", E | X}, {"T1611", PE}, {"T1612", E}, {"T1613", D}, {"T1619", D},
    {"T1620", E}, {"T1621", CA}, {"T1649", CA}, {"T1651", X},
};

unsigned ty__attack_tactics(const char *technique)
{
    size_t plen = strcspn(technique, ".");
    for (size_t i = 0; i < sizeof(techniques) / sizeof(techniques[0]); i++)
        if (strlen(techniques[i].id) == plen && strncmp(techniques[i].id, technique, plen) == 0)
            return techniques[i].tactics;
    return 0;
}

const char *ty__tactic_name(unsigned t)
{
    for (size_t i = 0; i < sizeof(tactics) / sizeof(tactics[0]); i++)
        if (t & tactics[i].bit)
            return tactics[i].name;
    return NULL;
}

size_t ty__attack_parse(const char *tags, char (*tech)[16], size_t max, unsigned *out_tactics)
{
    size_t n = 0;
    unsigned tac = 0, from_tech = 0;
    const char *t = tags ? tags : "";
    while (*t) {
        while (*t == ' ' || *t == ',')
            t++;
        size_t len = strcspn(t, " ,");
        if (!len)
            break;
        if (len > 7 && strncmp(t, "attack.", 7) == 0) {
            const char *v = t + 7;
            size_t vl = len - 7;
            if ((v[0] == 't' || v[0] == 'T') && vl >= 5 && vl < 15 && v[1] >= '0' &&
                v[1] <= '9') {
                if (n < max) {
                    snprintf(tech[n], sizeof(tech[n]), "T%.*s", (int)vl - 1, v + 1);
                    from_tech |= ty__attack_tactics(tech[n]);
                    n++;
                }
            } else {
                /* Sigma v2 writes attack.initial-access, v1 attack.initial_access */
                for (size_t i = 0; i < sizeof(tactics) / sizeof(tactics[0]); i++) {
                    const char *tg = tactics[i].tag;
                    size_t k = 0;
                    while (k < vl && tg[k] &&
                           (v[k] == tg[k] || (v[k] == '-' && tg[k] == '_')))
                        k++;
                    if (k == vl && !tg[k])
                        tac |= tactics[i].bit;
                }
            }
        }
        t += len;
    }
    *out_tactics = tac ? tac : from_tech;
    return n;
}

int ty__level_rank(const char *level)
{
    if (!level)
        return 0;
    if (strcmp(level, "critical") == 0)
        return 4;
    if (strcmp(level, "high") == 0)
        return 3;
    if (strcmp(level, "medium") == 0)
        return 2;
    if (strcmp(level, "low") == 0)
        return 1;
    return 0;
}
