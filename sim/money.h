/*
 * Exact money (SPEC §10 "Money and numbers").  Prices are integers of
 * micro-USD per 1M tokens, so a call costs tokens × price pico-USD exactly;
 * sums are 128-bit; every derived amount (discounts, rates, projections) is
 * computed from exact products and rounded half to even once, to a pico-USD.
 * This file is the one place where the rounding rule is written.
 */
#ifndef SIM_MONEY_H
#define SIM_MONEY_H

/*
 * Units: an amount is pico-USD (10^-12 USD); a price is micro-USD per 1M
 * tokens (USD 0.40 per 1M tokens = 400000), which is also pico-USD per token;
 * a fraction (discount, sample rate, traffic multiplier, days) is parts per
 * 10^9 (0.5 = 500000000, 0.25 = 250000000, 30 days = 30000000000), so any
 * decimal with at most 9 decimals is exact.
 *
 * Errors: nothing allocates, prints or keeps state.  Functions that can fail
 * return 0 / -1 and write their result through a pointer only on success;
 * the hot ones (money_call_pusd, money_discount) take no struct err, the
 * caller names the context.  Every rounding is half to even, in magnitude
 * for negative values (−2.5 → −2).
 */

#include <stddef.h>
#include <stdint.h>

/* A sum of pico-USD: signed 128-bit, |x| < 2^127 ≈ 1.7 × 10^38 (USD 1.7 × 10^26). */
__extension__ typedef __int128 money_sum;

#define MONEY_PUSD_PER_USD 1000000000000LL  /* 10^12 */
#define MONEY_PPB_ONE 1000000000LL          /* the fraction 1.0 */

/* The prices of one model, micro-USD per 1M tokens (pico-USD per token). */
struct money_price {
	int64_t input_micro;
	int64_t cached_micro;     /* cached input tokens; the loader defaults it to input */
	int64_t output_micro;
};

/*
 * A price from the decimal text s[0..n) of a JSON number of USD per 1M tokens,
 * exactly ("0.40" → 400000).  Returns -1 when the number is negative, has a
 * nonzero digit beyond the 6th decimal, or exceeds 9.2 × 10^12 USD.
 */
int money_price_parse(const char *s, size_t n, int64_t *out_micro);

/*
 * The same from a double that was parsed from such a text (cJSON): the
 * integer r nearest to usd × 10^6 is accepted when r ÷ 10^6, rounded to a
 * double, gives back usd, which holds for every decimal with at most 6
 * decimals below 2^51 micro-USD (USD 2.2 × 10^9 per 1M tokens).  Returns -1
 * otherwise (more decimals, negative, not finite, too large).
 */
int money_price_from_double(double usd, int64_t *out_micro);

/*
 * A fraction in parts per 10^9 from decimal text / a double, by the same
 * rules with 9 decimals (the double form below 2^51 ppb, i.e. 2.2 × 10^6).
 */
int money_ppb_parse(const char *s, size_t n, int64_t *out_ppb);
int money_ppb_from_double(double v, int64_t *out_ppb);

/*
 * The cost of one call in pico-USD: (input − cached) × input price + cached ×
 * cached price + output × output price, exactly.  Returns -1 when cached_tok
 * > input_tok, a price is negative, or the cost exceeds INT64_MAX pico-USD
 * (USD 9.2 million for one call).
 */
/* The same in 128 bits, for any tokens and prices; money_call_pusd's slow path. */
int money_call_pusd_wide(const struct money_price *p, uint64_t input_tok, uint64_t cached_tok,
			 uint64_t output_tok, int64_t *out_pusd);
static inline int money_call_pusd(const struct money_price *p, uint64_t input_tok, uint64_t cached_tok,
				  uint64_t output_tok, int64_t *out_pusd)
{
	/* the common case in 64 bits: tokens below 2^32 and prices in [0, 2^30), so each part is
	 * below 2^62 and their sum cannot wrap */
	if (cached_tok <= input_tok && input_tok <= UINT32_MAX && output_tok <= UINT32_MAX &&
	    (uint64_t)p->input_micro < (1 << 30) && (uint64_t)p->cached_micro < (1 << 30) &&
	    (uint64_t)p->output_micro < (1 << 30)) {
		uint64_t s64 = (input_tok - cached_tok) * (uint64_t)p->input_micro +
		               cached_tok * (uint64_t)p->cached_micro + output_tok * (uint64_t)p->output_micro;
		if (s64 > INT64_MAX)
			return -1;
		*out_pusd = (int64_t)s64;
		return 0;
	}
	return money_call_pusd_wide(p, input_tok, cached_tok, output_tok, out_pusd);
}

/*
 * pusd × (1 − discount), rounded half to even to a pico-USD (the batch price
 * of a call).  discount_ppb in [0, 10^9]; outside, it is clamped.
 */
int64_t money_discount(int64_t pusd, int64_t discount_ppb);

/*
 * round_half_even(a × b ÷ c), from the exact 256-bit product.  Returns -1
 * when c == 0 or the result does not fit a money_sum.  Used for usd_per_resolved
 * (a = usd_total, b = 1, c = resolved), per-hour rates (b = 3600 × 10^6, c =
 * span in µs) and the like.
 */
int money_muldiv(money_sum a, money_sum b, money_sum c, money_sum *out);

/*
 * projected_monthly_usd = usd_total × (days × 86400 ÷ span_s) ÷ sample_rate ×
 * traffic_multiplier, exactly, rounded half to even to a pico-USD:
 * total × days_ppb × 86400 × 10^6 × multiplier_ppb ÷ (span_us × sample_rate_ppb × 10^9).
 * The numerator is a 256-bit product, so no intermediate overflows for sums
 * up to 10^24 pico-USD and any int64 days and multiplier.  Returns -1 when
 * span_us <= 0 or sample_rate_ppb <= 0 (the projection is null), when
 * days_ppb or multiplier_ppb is negative, or when the result exceeds a
 * money_sum.
 */
int money_project(money_sum total_pusd, int64_t days_ppb, int64_t span_us, int64_t sample_rate_ppb,
		  int64_t multiplier_ppb, money_sum *out_pusd);

/*
 * a ÷ b as the double nearest to the exact quotient (ties to even), for the
 * ratios of SPEC §10 however large their terms; 0 unless both are positive.
 */
double money_quotient(money_sum a, money_sum b);

/* (a × b) ÷ (c × d) as the double nearest to the exact quotient; 0 unless all are positive. */
double money_quotient2(money_sum a, money_sum b, money_sum c, money_sum d);

/*
 * 1 when |a × b × c| > |d × e × f| exactly, else 0.  Exact while each product is
 * below 2^256, which amounts within what sums support (2^80 pico-USD) times
 * two 64-bit factors always are; past it, the larger is the one that overflowed.
 */
int money_products_gt(money_sum a, money_sum b, uint64_t c, money_sum d, money_sum e, uint64_t f);

/*
 * A cost_usd is kept as pico-USD (rounded half to even) and the rest, in 10^-30 USD
 * (|rest| ≤ 5 × 10^17), so that sums of costs are exact (SPEC §10: billed_usd).
 */
#define MONEY_SUB_PER_PUSD 1000000000000000000LL /* 10^18 */

/* pusd + sub ÷ 10^18 (sub of any sign and size), exactly, rounded half to even to a pico-USD. */
money_sum money_round_sub(money_sum pusd, money_sum sub);

/*
 * 1 when an exact amount, pusd + sub ÷ 10^18, differs from ref (pico-USD, ≥ 0) by more
 * than 0.5% of ref: 200 × |amount − ref| > ref.
 */
int money_off_half_percent(money_sum pusd, money_sum sub, money_sum ref);

/* Bytes a formatted amount needs with its NUL: sign, 27 digits, '.', 12 decimals. */
#define MONEY_FMT_SIZE 48

/*
 * Writes pusd as USD with exactly 12 decimals ("0.000001234000",
 * "-1234.500000000000") into buf (MONEY_FMT_SIZE bytes) with a NUL.  Returns
 * the length.  Never fails; no locale, no printf.
 */
size_t money_format(char *buf, money_sum pusd);

#endif
