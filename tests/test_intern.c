/* Interning: dense ids in first-seen order, exact bytes (NUL included), growth, and
 * unindexed appends that a later add indexes again. */
#include <stdio.h>

#include "sim/intern.h"
#include "tests/test.h"

static void dense_ids(void)
{
	struct intern in;
	uint32_t id;
	intern_init(&in);
	CHECK_INT(intern_add(&in, "acme", 4, &id), 0);
	CHECK_INT(id, 0);
	CHECK_INT(intern_add(&in, "beta", 4, &id), 0);
	CHECK_INT(id, 1);
	CHECK_INT(intern_add(&in, "acme", 4, &id), 0);
	CHECK_INT(id, 0);
	CHECK_INT(intern_add(&in, "acm", 3, &id), 0);
	CHECK_INT(id, 2);
	CHECK_INT(intern_add(&in, "", 0, &id), 0);
	CHECK_INT(id, 3);
	CHECK_INT(in.n, 4);
	CHECK_STR(intern_str(&in, 1, NULL), "beta");
	CHECK_INT(intern_find(&in, "beta", 4, &id), 1);
	CHECK_INT(id, 1);
	CHECK_INT(intern_find(&in, "gamma", 5, &id), 0);
	intern_fini(&in);
}

static void exact_bytes(void)
{
	struct intern in;
	uint32_t a, b;
	size_t len;
	intern_init(&in);
	intern_add(&in, "a\0b", 3, &a);
	intern_add(&in, "a\0c", 3, &b);
	CHECK(a != b);
	CHECK(memcmp(intern_str(&in, a, &len), "a\0b", 3) == 0);
	CHECK_INT(len, 3);
	intern_fini(&in);
}

static void grows(void)
{
	struct intern in;
	char key[32];
	uint32_t id;
	intern_init(&in);
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "tenant-%d", i);
		intern_add(&in, key, strlen(key), &id);
		if (id != (uint32_t)i) {
			TEST_FAIL_("id %u for %s", id, key);
			break;
		}
	}
	for (int i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof key, "tenant-%d", i);
		CHECK(intern_find(&in, key, strlen(key), &id) && id == (uint32_t)i);
		CHECK_STR(intern_str(&in, (uint32_t)i, NULL), key);
	}
	intern_fini(&in);
	intern_fini(NULL);
}

static void appends_unindexed(void)
{
	struct intern in;
	uint32_t id;
	intern_init(&in);
	CHECK_INT(intern_add(&in, "acme", 4, &id), 0);
	CHECK_INT(intern_append(&in, "beta", 4, &id), 0);
	CHECK_INT(id, 1);
	CHECK_INT(in.n_slots, 0); /* the index is gone: finds compare every string */
	CHECK_INT(intern_append(&in, "gamma", 5, &id), 0);
	CHECK_INT(id, 2);
	CHECK_INT(intern_find(&in, "beta", 4, &id), 1);
	CHECK_INT(id, 1);
	/* an add indexes all three again: a known string keeps its id, a new one gets 3 */
	CHECK_INT(intern_add(&in, "gamma", 5, &id), 0);
	CHECK_INT(id, 2);
	CHECK(in.n_slots > 0);
	CHECK_INT(intern_add(&in, "delta", 5, &id), 0);
	CHECK_INT(id, 3);
	CHECK_INT(intern_find(&in, "acme", 4, &id), 1);
	CHECK_INT(id, 0);
	CHECK_STR(intern_str(&in, 2, NULL), "gamma");
	intern_fini(&in);
}

void suite_intern(void)
{
	RUN(dense_ids);
	RUN(exact_bytes);
	RUN(grows);
	RUN(appends_unindexed);
}
