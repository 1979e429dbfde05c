/* SPDX-License-Identifier: MIT */
/* test_router_status.c — the router's section: publish, read back, validation. */
#include <criterion/criterion.h>
#include <string.h>

#include "lc_result.h"
#include "lc_router_status.h"

static struct lc_router_layout section;

static void
setup(void)
{
	memset(&section, 0xa5, sizeof section);
	lc_router_status_init(&section, 1234, 99);
}

TestSuite(router_status, .init = setup);

static struct lc_route_status
running_route(void)
{
	struct lc_route_status st;
	memset(&st, 0, sizeof st);
	st.id = 7;
	st.cable = 2;
	st.dir = LC_ROUTE_TO_DEVICE;
	st.state = LC_ROUTE_STATE_RUNNING;
	st.latency_ms = 20;
	st.fill_us = 19500;
	st.ratio_ppb = -12000;
	st.underruns = 3;
	strcpy(st.host_api, "Windows WASAPI");
	strcpy(st.device, "Speakers");
	strcpy(st.text, "running");
	return st;
}

Test(router_status, a_fresh_section_validates_and_has_only_free_slots)
{
	struct lc_route_status st;
	cr_expect_eq(lc_router_status_check(&section, sizeof section), 0);
	cr_expect_eq(section.header.pid, 1234);
	for (uint32_t i = 0; i < LC_ROUTE_MAX; i++)
		cr_expect_eq(lc_router_status_read(&section, i, &st), 0);
	cr_expect_eq(lc_router_status_read(&section, LC_ROUTE_MAX, &st), LC_E_INVALID);
}

Test(router_status, what_is_published_reads_back_and_free_frees)
{
	struct lc_route_status in = running_route(), out;
	uint32_t changes = atomic_load(&section.header.changes);
	lc_router_status_publish(&section, 5, &in, 1);
	cr_expect_eq(atomic_load(&section.header.changes), changes + 1);
	cr_assert_eq(lc_router_status_read(&section, 5, &out), 1);
	cr_expect_eq(memcmp(&in, &out, sizeof in), 0);
	lc_router_status_publish(&section, 5, &in, 0);
	cr_expect_eq(atomic_load(&section.header.changes), changes + 1, "counters only: no change");
	lc_router_status_publish(&section, 5, NULL, 1);
	cr_expect_eq(lc_router_status_read(&section, 5, &out), 0);
}

Test(router_status, a_slot_held_odd_by_a_writer_is_busy_not_read)
{
	struct lc_route_status in = running_route(), out;
	lc_router_status_publish(&section, 1, &in, 1);
	atomic_fetch_add(&section.slots[1].seq, 1);
	cr_expect_eq(lc_router_status_read(&section, 1, &out), LC_E_STATE);
}

Test(router_status, scribbled_fields_are_refused)
{
	struct lc_route_status in = running_route(), out;
	lc_router_status_publish(&section, 0, &in, 1);
	section.slots[0].st.state = LC_ROUTE_STATE_COUNT;
	cr_expect_eq(lc_router_status_read(&section, 0, &out), LC_E_CORRUPT);
	lc_router_status_publish(&section, 0, &in, 1);
	memset(section.slots[0].st.device, 'x', sizeof section.slots[0].st.device);
	cr_expect_eq(lc_router_status_read(&section, 0, &out), LC_E_CORRUPT);
	lc_router_status_publish(&section, 0, &in, 1);
	section.slots[0].st.cable = 0;
	cr_expect_eq(lc_router_status_read(&section, 0, &out), LC_E_CORRUPT);
}

Test(router_status, headers_of_other_versions_or_sizes_are_refused)
{
	cr_expect_eq(lc_router_status_check(&section, sizeof section - 1), LC_E_CORRUPT);
	section.header.abi_version = LC_ROUTER_ABI_VERSION + 1;
	cr_expect_eq(lc_router_status_check(&section, sizeof section), LC_E_VERSION);
	setup();
	section.header.magic = 0;
	cr_expect_eq(lc_router_status_check(&section, sizeof section), LC_E_CORRUPT);
	setup();
	section.header.n_slots = 3;
	cr_expect_eq(lc_router_status_check(&section, sizeof section), LC_E_CORRUPT);
}

Test(router_status, states_have_names)
{
	cr_expect_str_eq(lc_route_state_name(LC_ROUTE_STATE_RUNNING), "running");
	cr_expect_str_eq(lc_route_state_name(LC_ROUTE_STATE_WAITING), "waiting");
	cr_expect_str_eq(lc_route_state_name(99), "?");
}
