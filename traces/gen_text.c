/*
 * Text banks for the gen recipes: short, plausible inputs for each task.  FAQ
 * questions come from 30 common ones (Zipf shares) or a long tail of template
 * questions, most with numbers in them so they rarely repeat; each is then
 * written in a surface variant (case, spacing, punctuation, a full-width
 * question mark, a no-break space) that only cache-key normalization undoes.
 */
#include "traces/gen_core.h"

static void text_reset(struct gen_text *t)
{
	t->n = 0;
	t->head = -1;
}

static void text_put(struct gen_text *t, const char *s)
{
	size_t k = strlen(s), room = GEN_TEXT_MAX - 1 - t->n;
	if (k > room)
		k = room;
	memcpy(t->s + t->n, s, k);
	t->n += k;
	t->s[t->n] = 0;
}

static void text_num(struct gen_text *t, uint32_t v, int width)
{
	char tmp[16];
	int i = (int)sizeof tmp - 1;
	tmp[i] = 0;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while ((int)sizeof tmp - 1 - i < width)
		tmp[--i] = '0';
	text_put(t, tmp + i);
}

static const char *pick(struct gen_rng *r, const char *const *a, uint32_t n)
{
	return a[gen_rng_below(r, n)];
}

#define PICK(r, a) pick((r), (a), (uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ---- FAQ ---- */

static const char *const faq_head[30] = {
	"How do I reset my password?",
	"Where is my order?",
	"How can I cancel my subscription?",
	"How do I update my billing information?",
	"What is your refund policy?",
	"How do I change my shipping address?",
	"Why was my card declined?",
	"How do I contact customer support?",
	"Can I change my order after it has been placed?",
	"How long does shipping take?",
	"Do you ship internationally?",
	"How do I return an item?",
	"How do I download my invoice?",
	"How do I enable two-factor authentication?",
	"Why can't I log in to my account?",
	"How do I delete my account?",
	"What payment methods do you accept?",
	"How do I apply a discount code?",
	"When will I be charged?",
	"How do I upgrade my plan?",
	"How do I add a team member?",
	"Can I get a receipt for my purchase?",
	"How do I track my package?",
	"What happens when my free trial ends?",
	"How do I change the email address on my account?",
	"Is my personal data secure?",
	"How do I export my data?",
	"Why is my account locked?",
	"Do you offer student discounts?",
	"How do I unsubscribe from marketing emails?",
};

/* Zipf weights of the 30 common questions: round(1000 / i^0.9), i = 1..30 (sum 4642). */
static const uint16_t faq_head_w[30] = {
	1000, 536, 372, 287, 235, 199, 174, 154, 138, 126, 116, 107, 99, 93, 87,
	82, 78, 74, 71, 67, 65, 62, 59, 57, 55, 53, 51, 50, 48, 47,
};
#define FAQ_HEAD_W_SUM 4642

/* Share of requests that ask one of the 30 common questions (the article's 40%). */
#define FAQ_HEAD_SHARE 0.40

static const char *const order_problems[] = {
	"arrived damaged", "is missing an item", "says delivered but I never got it",
	"was charged twice", "shipped to my old address", "has the wrong size",
	"came without the charger", "is still not shipped",
};
static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};
static const char *const billing_issues[] = {
	"cancelled last month", "never signed up for that plan", "had a coupon",
	"already paid by bank transfer", "downgraded to the free plan", "only have one seat",
};
static const char *const screens[] = {
	"checkout", "login", "settings", "billing", "dashboard", "profile", "cart", "invoices",
};
static const char *const app_actions[] = {
	"turn off notifications", "change the language", "switch accounts", "clear the cache",
	"enable dark mode", "sync my contacts", "restore a backup", "share a report",
};
static const char *const platforms[] = { "iOS", "Android", "desktop", "web" };
static const char *const products[] = {
	"the starter plan", "the mobile app", "the browser extension", "the API",
	"the team workspace", "the reporting module",
};
static const char *const integrations[] = {
	"Slack", "Google Sheets", "Salesforce", "Zapier", "Microsoft Teams", "Shopify",
	"QuickBooks", "HubSpot", "Notion", "Jira",
};
static const char *const account_actions[] = {
	"pause my subscription", "transfer my gift card", "downgrade my annual plan",
	"change my delivery slot", "share my account", "move my data to another region",
	"get an invoice in another currency", "keep my history",
};
static const char *const account_whens[] = {
	"while traveling abroad", "before the renewal date", "from the mobile app",
	"after the trial ends", "without losing my data", "on the family plan",
};

/* The long tail: families A-D carry numbers (nearly always distinct); E and F are
 * a middle tier of 60 and 48 combinations that repeat now and then. */
static void faq_tail(struct gen_rng *r, struct gen_text *t)
{
	uint32_t f = gen_rng_below(r, 100);
	if (f < 20) {
		text_put(t, "My order #");
		text_num(t, gen_rng_range(r, 100000, 999999), 1);
		text_put(t, " ");
		text_put(t, PICK(r, order_problems));
		text_put(t, ". What should I do?");
	} else if (f < 35) {
		text_put(t, "I was charged $");
		text_num(t, gen_rng_range(r, 5, 499), 1);
		text_put(t, ".");
		text_num(t, gen_rng_below(r, 100), 2);
		text_put(t, " on ");
		text_put(t, PICK(r, months));
		text_put(t, " ");
		text_num(t, gen_rng_range(r, 1, 28), 1);
		text_put(t, " but I ");
		text_put(t, PICK(r, billing_issues));
		text_put(t, ". Why?");
	} else if (f < 50) {
		text_put(t, "Why does the ");
		text_put(t, PICK(r, screens));
		text_put(t, " page show error E");
		text_num(t, gen_rng_range(r, 1000, 9999), 1);
		text_put(t, "?");
	} else if (f < 70) {
		text_put(t, "How do I ");
		text_put(t, PICK(r, app_actions));
		text_put(t, " in the ");
		text_put(t, PICK(r, platforms));
		text_put(t, " app version ");
		text_num(t, gen_rng_range(r, 2, 9), 1);
		text_put(t, ".");
		text_num(t, gen_rng_below(r, 30), 1);
		text_put(t, "?");
	} else if (f < 85) {
		text_put(t, "Does ");
		text_put(t, PICK(r, products));
		text_put(t, " work with ");
		text_put(t, PICK(r, integrations));
		text_put(t, "?");
	} else {
		text_put(t, "Can I ");
		text_put(t, PICK(r, account_actions));
		text_put(t, " ");
		text_put(t, PICK(r, account_whens));
		text_put(t, "?");
	}
}

/* ---- surface variants ---- */

enum variant {
	V_LOWER_NO_END,         /* "how do i reset my password" */
	V_LOWER_FIRST,          /* "how do I reset my password?" */
	V_DOUBLE_SPACE,         /* "How do I  reset my password?" */
	V_SPACE_BEFORE_END,     /* "How do I reset my password ?" */
	V_TRAILING_SPACE,       /* "How do I reset my password?  " */
	V_NO_APOSTROPHE,        /* "Why cant I log in to my account?" */
	V_DOUBLE_MARK,          /* "How do I reset my password??" */
	V_UPPER,                /* "HOW DO I RESET MY PASSWORD?" */
	V_FULLWIDTH_MARK,       /* "How do I reset my password？" (U+FF1F) */
	V_NBSP,                 /* one space as U+00A0 */
	V_LEADING_LOWER,        /* " how do i reset my password?" */
};

/* Chances in percent; the rest (50) is the canonical wording. */
static const struct { enum variant v; uint8_t pct; } variant_pct[] = {
	{ V_LOWER_NO_END, 12 }, { V_LOWER_FIRST, 8 }, { V_DOUBLE_SPACE, 7 },
	{ V_SPACE_BEFORE_END, 6 }, { V_TRAILING_SPACE, 5 }, { V_NO_APOSTROPHE, 3 },
	{ V_DOUBLE_MARK, 3 }, { V_UPPER, 2 }, { V_FULLWIDTH_MARK, 1 }, { V_NBSP, 1 },
	{ V_LEADING_LOWER, 2 },
};

static void text_insert(struct gen_text *t, size_t at, const char *s, size_t k)
{
	if (t->n + k >= GEN_TEXT_MAX || at > t->n)
		return;
	memmove(t->s + at + k, t->s + at, t->n - at + 1);
	memcpy(t->s + at, s, k);
	t->n += k;
}

static void text_delete(struct gen_text *t, size_t at, size_t k)
{
	memmove(t->s + at, t->s + at + k, t->n - at - k + 1);
	t->n -= k;
}

/* Offset of a random ASCII space, or -1 when there is none. */
static long random_space(struct gen_rng *r, const struct gen_text *t)
{
	uint32_t n_spaces = 0, want;
	for (size_t i = 0; i < t->n; i++)
		n_spaces += t->s[i] == ' ';
	if (n_spaces == 0)
		return -1;
	want = gen_rng_below(r, n_spaces);
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i] == ' ' && want-- == 0)
			return (long)i;
	return -1;
}

/* ASCII only, whatever the locale: bytes of UTF-8 sequences stay as they are. */
static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static void text_case(struct gen_text *t, char (*f)(char))
{
	for (size_t i = 0; i < t->n; i++)
		t->s[i] = f(t->s[i]);
}

static int ends_with_mark(const struct gen_text *t)
{
	return t->n > 0 && (t->s[t->n - 1] == '?' || t->s[t->n - 1] == '.');
}

static void apply_variant(struct gen_rng *r, struct gen_text *t, enum variant v)
{
	long at;
	switch (v) {
	case V_LOWER_NO_END:
		text_case(t, ascii_lower);
		while (ends_with_mark(t))
			t->s[--t->n] = 0;
		break;
	case V_LOWER_FIRST:
		t->s[0] = ascii_lower(t->s[0]);
		break;
	case V_DOUBLE_SPACE:
		if ((at = random_space(r, t)) >= 0)
			text_insert(t, (size_t)at, " ", 1);
		break;
	case V_SPACE_BEFORE_END:
		if (ends_with_mark(t))
			text_insert(t, t->n - 1, " ", 1);
		break;
	case V_TRAILING_SPACE:
		text_insert(t, t->n, "  ", 1 + gen_rng_below(r, 2));
		break;
	case V_NO_APOSTROPHE:
		for (size_t i = 0; i < t->n; i++)
			if (t->s[i] == '\'')
				text_delete(t, i--, 1);
		break;
	case V_DOUBLE_MARK:
		if (t->n > 0 && t->s[t->n - 1] == '?')
			text_insert(t, t->n, "?", 1);
		break;
	case V_UPPER:
		text_case(t, ascii_upper);
		break;
	case V_FULLWIDTH_MARK:
		if (t->n > 0 && t->s[t->n - 1] == '?') {
			text_delete(t, t->n - 1, 1);
			text_insert(t, t->n, "\xEF\xBC\x9F", 3);
		}
		break;
	case V_NBSP:
		if ((at = random_space(r, t)) >= 0) {
			text_delete(t, (size_t)at, 1);
			text_insert(t, (size_t)at, "\xC2\xA0", 2);
		}
		break;
	case V_LEADING_LOWER:
		text_case(t, ascii_lower);
		text_insert(t, 0, " ", 1);
		break;
	}
}

static void vary(struct gen_rng *r, struct gen_text *t)
{
	uint32_t x = gen_rng_below(r, 100), acc = 0;
	for (size_t i = 0; i < sizeof variant_pct / sizeof variant_pct[0]; i++) {
		acc += variant_pct[i].pct;
		if (x < acc) {
			apply_variant(r, t, variant_pct[i].v);
			/* Now and then two variants at once: "How do I  reset my password ?" */
			if (gen_rng_chance(r, 0.15))
				apply_variant(r, t, (enum variant)gen_rng_below(r, V_LEADING_LOWER + 1));
			return;
		}
	}
}

void gen_text_faq(struct gen_rng *r, struct gen_text *t)
{
	text_reset(t);
	if (gen_rng_chance(r, FAQ_HEAD_SHARE)) {
		uint32_t x = gen_rng_below(r, FAQ_HEAD_W_SUM);
		int i = 0;
		while (i < 29 && x >= faq_head_w[i])
			x -= faq_head_w[i++];
		t->head = i;
		text_put(t, faq_head[i]);
	} else {
		faq_tail(r, t);
	}
	vary(r, t);
}

/* ---- other tasks ---- */

static const char *const refund_items[] = {
	"headphones", "a winter jacket", "a coffee machine", "running shoes", "a phone case",
	"a desk lamp", "a gift card", "a laptop stand", "a smart watch", "a backpack",
};
static const char *const refund_conditions[] = {
	"unopened", "opened but unused", "damaged in transit", "missing the receipt",
	"bought on sale", "a different colour than ordered",
};
static const char *const expenses[] = {
	"team dinner for 6", "taxi to the airport", "hotel, 2 nights", "conference ticket",
	"software license", "client gift", "train ticket, first class", "home office chair",
};
static const char *const justifications[] = {
	"approved by the manager", "no receipt attached", "booked after the deadline",
	"paid with a personal card", "split across two reports", "for a customer visit",
};

void gen_text_policy(struct gen_rng *r, struct gen_text *t)
{
	uint32_t f = gen_rng_below(r, 3);
	text_reset(t);
	if (f == 0) {
		text_put(t, "Check against the refund policy: ");
		text_put(t, PICK(r, refund_items));
		text_put(t, " returned ");
		text_num(t, gen_rng_range(r, 1, 90), 1);
		text_put(t, " days after delivery, ");
		text_put(t, PICK(r, refund_conditions));
		text_put(t, ".");
	} else if (f == 1) {
		text_put(t, "Is this expense within policy? ");
		text_put(t, PICK(r, expenses));
		text_put(t, ", $");
		text_num(t, gen_rng_range(r, 12, 2400), 1);
		text_put(t, ", ");
		text_put(t, PICK(r, justifications));
		text_put(t, ".");
	} else {
		text_put(t, "Does this reply disclose personal data? Ticket #");
		text_num(t, gen_rng_range(r, 10000, 99999), 1);
		text_put(t, ", draft ");
		text_num(t, gen_rng_range(r, 1, 4), 1);
		text_put(t, ".");
	}
}

static const char *const ticket_problems[] = {
	"app crashes when uploading a PDF", "password reset link has expired",
	"charged twice for the same order", "export to CSV is empty",
	"dashboard loads very slowly", "invoice shows the wrong VAT number",
	"notifications arrive twice", "cannot add a new team member",
	"search returns no results", "two-factor code never arrives",
};
static const char *const ticket_platforms[] = {
	"Android 14", "iOS 17", "Chrome", "Firefox", "Windows app", "macOS app", "Safari",
};

void gen_text_ticket(struct gen_rng *r, struct gen_text *t)
{
	text_reset(t);
	text_put(t, "Classify this ticket: ");
	text_put(t, PICK(r, ticket_problems));
	text_put(t, " (");
	text_put(t, PICK(r, ticket_platforms));
	text_put(t, ", customer since ");
	text_num(t, gen_rng_range(r, 2016, 2026), 1);
	text_put(t, ").");
}

static const char *const report_metrics[] = {
	"churn", "support volume", "revenue", "incident", "NPS", "fraud", "refund",
};
static const char *const regions[] = { "EMEA", "North America", "APAC", "LATAM" };

void gen_text_report(struct gen_rng *r, struct gen_text *t, int64_t ts_ms)
{
	/* Last week or the one before, counted in weeks from Monday 2025-12-29 (ISO week 1
	 * of 2026), wrapped to 1..52. */
	int64_t days = ts_ms / GEN_MS_PER_DAY - clock_days_from_civil(2025, 12, 29);
	uint32_t week = (uint32_t)((days / 7 + 52 - 1 - gen_rng_below(r, 2)) % 52) + 1;

	text_reset(t);
	text_put(t, "Weekly ");
	text_put(t, PICK(r, report_metrics));
	text_put(t, " report for ");
	text_put(t, PICK(r, regions));
	text_put(t, ", week ");
	text_num(t, week, 1);
}

static const char *const report_docs[] = {
	"Annual report", "Quarterly board pack", "Due diligence file", "Market research study",
	"Clinical study report", "Technical audit", "Incident postmortems", "Investor memo",
};
static const char *const policy_docs[] = {
	"Master services agreement", "Data processing addendum", "Employee handbook",
	"Supplier contract", "Insurance policy", "Lease agreement", "Privacy policy",
	"Security questionnaire",
};
static const char *const companies[] = {
	"Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Woodgrove Bank",
	"Litware Inc", "Adventure Works", "Proseware", "Wingtip Toys", "Fourth Coffee",
	"Lucerne Publishing", "Margie's Travel", "Alpine Ski House", "Coho Winery",
	"Blue Yonder Airlines", "City Power & Light", "Graphic Design Institute", "Humongous Insurance",
	"Trey Research", "VanArsdel Ltd",
};
static const char *const periods[] = {
	"FY2025", "Q4 2025", "Q1 2026", "2026 renewal", "v3.2", "rev. 7", "draft 2", "signed copy",
	"H2 2025", "March 2026",
};

void gen_text_doc_title(struct gen_rng *r, struct gen_text *t, int policy, uint32_t doc_tok)
{
	text_reset(t);
	text_put(t, policy ? PICK(r, policy_docs) : PICK(r, report_docs));
	text_put(t, ": ");
	text_put(t, PICK(r, companies));
	text_put(t, ", ");
	text_put(t, PICK(r, periods));
	text_put(t, " (");
	text_num(t, doc_tok / 550 + 1, 1);
	text_put(t, doc_tok < 550 ? " page)" : " pages)");
}
