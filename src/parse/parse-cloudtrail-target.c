/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-target.c - what a CloudTrail call acted on, from
 * requestParameters when resources[] does not say: a table of the parameter
 * keys that name a target (bucketName + key, roleName, userName, policyArn,
 * instanceId, instancesSet.items[0].instanceId, ...), by priority, each with
 * its CloudFormation-style kind when it is certain; the S3 bucket and key; the
 * IAM user an IAM call targets.
 */
#include <string.h>

#include "parse-cloudtrail-int.h"

#define NONE TY_JSON_NONE

enum { T_NAME = 1 }; /* the value is a name (also TARGET_NAME), not an ARN/id */

/* requestParameters keys naming the target, by priority: the first present wins. */
enum tslot {
    T_BUCKET,
    T_ROLE_ARN,
    T_ROLE_NAME,
    T_USERNAME,
    T_GROUP_NAME,
    T_POLICY_ARN,
    T_INSTANCE_ID,
    T_INSTANCES,
    T_INSTANCE_IDS,
    T_TARGET,
    T_FUNCTION,
    T_SECRET,
    T_KEY_ID,
    T_DB_INSTANCE,
    T_DB_CLUSTER,
    T_DB_SNAPSHOT,
    T_SNAPSHOT,
    T_IMAGE,
    T_GROUP_ID,
    T_TRAIL,
    T_LOG_GROUP,
    T_STACK,
    T_CLUSTER,
    T_NAME_KEY,
    T_RESOURCE_ARN,
    T__COUNT
};

static const struct tkey {
    const char *key;
    unsigned char flags;
    const char *kind;
} tkeys[T__COUNT] = {
    [T_BUCKET] = {"bucketName", T_NAME, "AWS::S3::Bucket"},
    [T_ROLE_ARN] = {"roleArn", 0, "AWS::IAM::Role"},
    [T_ROLE_NAME] = {"roleName", T_NAME, "AWS::IAM::Role"},
    [T_USERNAME] = {"userName", T_NAME, "AWS::IAM::User"},
    [T_GROUP_NAME] = {"groupName", T_NAME, "AWS::IAM::Group"},
    [T_POLICY_ARN] = {"policyArn", 0, "AWS::IAM::ManagedPolicy"},
    [T_INSTANCE_ID] = {"instanceId", 0, "AWS::EC2::Instance"},
    [T_INSTANCES] = {"instancesSet", 0, "AWS::EC2::Instance"},
    [T_INSTANCE_IDS] = {"instanceIds", 0, "AWS::EC2::Instance"},
    [T_TARGET] = {"target", 0, NULL}, /* SSM StartSession: an instance id */
    [T_FUNCTION] = {"functionName", T_NAME, "AWS::Lambda::Function"},
    [T_SECRET] = {"secretId", 0, "AWS::SecretsManager::Secret"},
    [T_KEY_ID] = {"keyId", 0, "AWS::KMS::Key"},
    [T_DB_INSTANCE] = {"dBInstanceIdentifier", T_NAME, "AWS::RDS::DBInstance"},
    [T_DB_CLUSTER] = {"dBClusterIdentifier", T_NAME, "AWS::RDS::DBCluster"},
    [T_DB_SNAPSHOT] = {"dBSnapshotIdentifier", T_NAME, "AWS::RDS::DBSnapshot"},
    [T_SNAPSHOT] = {"snapshotId", 0, "AWS::EC2::Snapshot"},
    [T_IMAGE] = {"imageId", 0, "AWS::EC2::Image"},
    [T_GROUP_ID] = {"groupId", 0, "AWS::EC2::SecurityGroup"},
    [T_TRAIL] = {"trailName", T_NAME, "AWS::CloudTrail::Trail"},
    [T_LOG_GROUP] = {"logGroupName", T_NAME, "AWS::Logs::LogGroup"},
    [T_STACK] = {"stackName", T_NAME, "AWS::CloudFormation::Stack"},
    [T_CLUSTER] = {"clusterName", T_NAME, NULL},
    [T_NAME_KEY] = {"name", T_NAME, NULL},
    [T_RESOURCE_ARN] = {"resourceArn", 0, NULL},
};

static int tkey_find(const char *p, size_t len)
{
    switch (len) {
    case 4:
        return KEYIS("name") ? T_NAME_KEY : -1;
    case 5:
        return KEYIS("keyId") ? T_KEY_ID : -1;
    case 6:
        return KEYIS("target") ? T_TARGET : -1;
    case 7:
        if (KEYIS("roleArn"))
            return T_ROLE_ARN;
        if (KEYIS("imageId"))
            return T_IMAGE;
        if (KEYIS("groupId"))
            return T_GROUP_ID;
        return -1;
    case 8:
        if (KEYIS("userName"))
            return T_USERNAME;
        if (KEYIS("roleName"))
            return T_ROLE_NAME;
        if (KEYIS("secretId"))
            return T_SECRET;
        return -1;
    case 9:
        if (KEYIS("groupName"))
            return T_GROUP_NAME;
        if (KEYIS("policyArn"))
            return T_POLICY_ARN;
        if (KEYIS("trailName"))
            return T_TRAIL;
        if (KEYIS("stackName"))
            return T_STACK;
        return -1;
    case 10:
        if (KEYIS("bucketName"))
            return T_BUCKET;
        if (KEYIS("instanceId"))
            return T_INSTANCE_ID;
        if (KEYIS("snapshotId"))
            return T_SNAPSHOT;
        return -1;
    case 11:
        if (KEYIS("instanceIds"))
            return T_INSTANCE_IDS;
        if (KEYIS("clusterName"))
            return T_CLUSTER;
        if (KEYIS("resourceArn"))
            return T_RESOURCE_ARN;
        return -1;
    case 12:
        if (KEYIS("instancesSet"))
            return T_INSTANCES;
        if (KEYIS("functionName"))
            return T_FUNCTION;
        if (KEYIS("logGroupName"))
            return T_LOG_GROUP;
        return -1;
    case 19:
        return KEYIS("dBClusterIdentifier") ? T_DB_CLUSTER : -1;
    case 20:
        if (KEYIS("dBInstanceIdentifier"))
            return T_DB_INSTANCE;
        if (KEYIS("dBSnapshotIdentifier"))
            return T_DB_SNAPSHOT;
        return -1;
    }
    return -1;
}

void ty__ct_target_init(struct ct_target *t)
{
    t->val = t->bucket = t->key = t->user = TY_STR_NULL;
    t->best = -1;
}

static void target_offer(struct ct_target *t, int slot, struct ty_str v)
{
    if (!v.len)
        return;
    if (slot == T_BUCKET)
        t->bucket = v;
    if (slot == T_USERNAME)
        t->user = v;
    if (t->best < 0 || slot < t->best) {
        t->best = slot;
        t->val = v;
    }
}

int ty__ct_target_json(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                       struct ct_target *t)
{
    const struct ty_json_tok *tk = d->toks;
    if (tk[obj].type != TY_JSON_OBJECT)
        return 0;
    uint32_t end = tk[obj].next;
    for (uint32_t k = obj + 1; k < end; k = tk[k + 1].next) {
        const char *p = d->src + tk[k].off;
        size_t len = tk[k].len;
        uint32_t v = k + 1;
        struct ty_str s;
        int rc;
        if (len == 3 && KEYIS("key")) {
            if ((rc = tok_str(ctx, d, v, &t->key)) < 0)
                return rc;
            continue;
        }
        int slot = tkey_find(p, len);
        if (slot < 0)
            continue;
        if (slot == T_INSTANCES) {
            /* {"items":[{"instanceId":"i-..."}]} */
            uint32_t items = ty_json_get(d, v, "items");
            uint32_t first = ty_json_type(d, items) == TY_JSON_ARRAY ? ty_json_first(d, items)
                                                                      : NONE;
            v = ty_json_get(d, first, "instanceId");
        } else if (tk[v].type == TY_JSON_ARRAY) {
            v = ty_json_first(d, v); /* ["i-...", ...]: the first */
        }
        if ((rc = tok_str(ctx, d, v, &s)) < 0)
            return rc;
        if (rc == 0)
            target_offer(t, slot, s);
    }
    return 0;
}

void ty__ct_target_map(struct ty_str m, struct ct_target *t)
{
    t->key = ty__ct_map_find(m, "key");
    for (int i = 0; i < T__COUNT; i++) {
        struct ty_str v = i == T_INSTANCES ? ty__ct_map_find(m, "instancesSet.items.instanceId")
                                           : ty__ct_map_find(m, tkeys[i].key);
        target_offer(t, i, v);
    }
}

int ty__ct_target_apply(struct ty_parse_ctx *ctx, struct ty_event *ev, const struct ct_target *t,
                        bool iam, bool target_set)
{
    put(ev, TY_F_BUCKET, t->bucket);
    if (t->bucket.len)
        put(ev, TY_F_OBJECT_KEY, t->key);
    if (iam)
        put(ev, TY_F_TARGET_USER, t->user);
    if (target_set || t->best < 0)
        return 0;
    const struct tkey *k = &tkeys[t->best];
    if (t->best == T_BUCKET) {
        struct ty_str arn = t->key.len
            ? ty_arena_printf(ctx->arena, "arn:aws:s3:::%.*s/%.*s", (int)t->bucket.len,
                              t->bucket.p, (int)t->key.len, t->key.p)
            : ty_arena_printf(ctx->arena, "arn:aws:s3:::%.*s", (int)t->bucket.len, t->bucket.p);
        if (!arn.p)
            return TY_ENOMEM;
        put(ev, TY_F_TARGET, arn);
        put(ev, TY_F_TARGET_KIND, t->key.len ? TY_STR_LIT("AWS::S3::Object")
                                             : TY_STR_LIT("AWS::S3::Bucket"));
    } else {
        put(ev, TY_F_TARGET, t->val);
        if (k->kind)
            put(ev, TY_F_TARGET_KIND, ty_str_cstr(k->kind));
        else if (ty__ct_is_instance_id(t->val))
            put(ev, TY_F_TARGET_KIND, TY_STR_LIT("AWS::EC2::Instance"));
    }
    if (k->flags & T_NAME)
        put(ev, TY_F_TARGET_NAME, t->val);
    return 0;
}

/* Lower-case hex in AWS; any case accepted, as anonymised samples mix it. */
bool ty__ct_is_instance_id(struct ty_str s)
{
#define H3(c) [c] = 1, [c + 1] = 1, [c + 2] = 1
    static const unsigned char hex[256] = {
        H3('0'), H3('3'), H3('6'), ['9'] = 1, H3('a'), H3('d'), H3('A'), H3('D'),
    };
#undef H3
    if (!(s.len == 10 || s.len == 19) || s.p[0] != 'i' || s.p[1] != '-')
        return false;
    unsigned ok = 1;
    for (size_t i = 2; i < s.len; i++)
        ok &= hex[(unsigned char)s.p[i]];
    return ok;
}
