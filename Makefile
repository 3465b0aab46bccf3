# llmcost — one non-recursive GNU Makefile.  `make help` lists the targets.
# Objects go to build/, dependencies come from -MMD -MP, output is quiet unless V=1.

PKGS     := ncursesw readline libcjson sqlite3 libcurl zlib
DEB_PKGS := libncurses-dev libreadline-dev libcjson-dev libsqlite3-dev libcurl4-openssl-dev zlib1g-dev pkg-config
# what the tests drive besides the program: the sqlite3 shell, tmux (the console), python3 (JSON)
TEST_CMDS     := sqlite3 tmux python3 script
TEST_DEB_PKGS := sqlite3 tmux python3 bsdutils

CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wvla -Wno-unused-parameter
ifeq ($(CI),true)
WARN    += -Werror
endif
OPT     ?= -O2 -g
BUILD   ?= build
CFLAGS  += $(CSTD) $(WARN) $(OPT) -MMD -MP -I. $(SAN)
LDFLAGS += $(SAN)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# pkg-config is only asked once the packages are known to be there (see `deps`).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

SIM_SRC    := $(wildcard sim/*.c)
TRACES_SRC := $(wildcard traces/*.c)
TUI_SRC    := $(filter-out tui/main.c,$(wildcard tui/*.c))
TEST_SRC   := $(wildcard tests/test_*.c)
TEST_UTIL  := $(wildcard tests/util_*.c)

SIM_OBJ    := $(SIM_SRC:%.c=$(BUILD)/%.o)
TRACES_OBJ := $(TRACES_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ    := $(TUI_SRC:%.c=$(BUILD)/%.o)
LIB_OBJ    := $(TUI_OBJ) $(TRACES_OBJ) $(SIM_OBJ)
TEST_OBJ   := $(TEST_SRC:%.c=$(BUILD)/%.o) $(TEST_UTIL:%.c=$(BUILD)/%.o) $(BUILD)/tests/main.o

.PHONY: all deps test-deps test oracle demo bench fuzz sanitize golden check-deps clean help

# Build the program (./llmcost).
all: deps llmcost

# $(call need,CHECK,PACKAGES,WHAT): when the shell command CHECK fails, install the Debian
# PACKAGES with apt-get when root, else print the exact command and stop.
define need
	$(Q)if ! $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $(2)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2)) >/dev/null || exit 1; \
	  else \
	    echo "missing $(3); run:"; echo "  sudo apt-get install -y $(2)"; exit 1; \
	  fi; \
	fi
endef

# Check for the Debian -dev packages; install them with apt-get when root, else say how.
deps:
	$(call need,pkg-config --exists $(PKGS),$(DEB_PKGS),libraries)

# The commands the tests use; installed like the libraries.
test-deps:
	$(call need,sh -c 'for c in $(TEST_CMDS); do command -v $$c || exit 1; done',$(TEST_DEB_PKGS),test tools)

# ./llmcost, and $(BUILD)/llmcost for a build apart (make bench's)
llmcost $(BUILD)/llmcost: $(BUILD)/tui/main.o $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread

$(BUILD)/sim/%.o: sim/%.c
	@mkdir -p $(@D); echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D); echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The test runner finds its suites from the file names: tests/test_X.c defines suite_X().
$(BUILD)/tests/suites.inc: $(TEST_SRC)
	@mkdir -p $(@D)
	$(Q)for f in $(notdir $(basename $(TEST_SRC))); do echo "SUITE($${f#test_})"; done > $@.tmp && \
	  (cmp -s $@.tmp $@ || mv $@.tmp $@); rm -f $@.tmp
$(BUILD)/tests/main.o: $(BUILD)/tests/suites.inc
$(BUILD)/tests/main.o: CFLAGS += -I$(BUILD)/tests

$(BUILD)/unit-tests: $(TEST_OBJ) $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread

# Build everything and run the unit and command-line tests; ends with "tests: N passed, N failed".
test: deps test-deps llmcost $(BUILD)/unit-tests
	$(Q)LLMCOST=./llmcost UNIT=$(BUILD)/unit-tests sh tests/run.sh

ORACLE_CASES ?= 2000
# The replay against the independent model: ORACLE_CASES random cases and every bundled trace.
oracle: deps test-deps llmcost
	$(Q)d=$$(mktemp -d); fail=0; \
	python3 tests/oracle_check.py ./llmcost "$$d" $(ORACLE_CASES) 1 || fail=1; \
	for t in fixtures/traces/*.json*; do \
	  python3 tests/oracle_check.py ./llmcost "$$d" --bundled "$$t" recorded baseline v3 flood-guard || fail=1; \
	done; \
	if [ $$fail = 0 ]; then rm -rf "$$d"; else echo "oracle: the cases' files are kept in $$d"; exit 1; fi

# The main job: the console (a table outside a terminal) on the bundled incident.
demo: deps llmcost
	$(Q)sh tests/demo.sh

# Import, load and replay benchmarks on generated traces (figures, not pass/fail; see tests/bench.sh),
# built apart in $(BUILD)/release with assertions off, whatever ./llmcost was built with.
bench: deps llmcost
	$(Q)$(MAKE) --no-print-directory OPT="-O2 -g -DNDEBUG" BUILD=$(BUILD)/release \
	  $(BUILD)/release/bench $(BUILD)/release/llmcost
	$(Q)BUILD=$(BUILD)/release sh tests/bench.sh

$(BUILD)/bench: $(BUILD)/tests/bench.o $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread

# Regenerate the golden outputs in fixtures/golden/ (review the diff before committing).
golden: deps llmcost
	$(Q)sh tests/golden.sh write
	$(Q)git diff --stat -- fixtures/golden 2>/dev/null || true

FUZZ_SECONDS ?= 30
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz_*.c)))
# Run each libFuzzer target (clang) for FUZZ_SECONDS, seeded from tests/corpus/.
fuzz: deps
	$(call need,command -v clang,clang,clang (for make fuzz))
	$(Q)for t in $(FUZZ_TARGETS); do \
	  $(MAKE) --no-print-directory CC=clang BUILD=build/fuzz OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/fuzz/$$t || exit 1; \
	  mkdir -p build/fuzz/corpus-$$t; \
	  build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
	    build/fuzz/corpus-$$t tests/corpus/$${t#fuzz_} || exit 1; \
	done

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz_%.o $(BUILD)/tests/util_tmp.o $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm -lpthread

# The whole test suite again under AddressSanitizer and UndefinedBehaviorSanitizer, built
# without __SSE2__ so that the portable path of machine-specific code (sim/cache.c) is tested.
# Leaks are reported, except one in ncurses itself (tests/lsan.supp).
sanitize: deps test-deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/san OPT="-O1 -g -fno-omit-frame-pointer -U__SSE2__" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" build/san/unit-tests build/san/llmcost
	$(Q)SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  LLMCOST=build/san/llmcost UNIT=build/san/unit-tests sh tests/run.sh

build/san/llmcost: $(BUILD)/tui/main.o $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread

# Fail when sim/ includes a foreign library or traces/ includes curses or readline.
check-deps:
	$(Q)bad=$$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](cjson|cJSON|sqlite3|curl|curses|ncurses|readline|zlib)' sim/*.[ch]); \
	  bad2=$$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](curses|ncurses|readline)' traces/*.[ch]); \
	  if [ -n "$$bad$$bad2" ]; then echo "layering violation:"; echo "$$bad$$bad2"; exit 1; fi; \
	  echo "check-deps: sim/ is pure, traces/ has no console headers"

# Remove build products.
clean:
	rm -rf build llmcost

# List the targets.
help:
	@awk -v build='$(BUILD)' '/^# / { c = c (c ? " " : "") substr($$0, 3); next } \
	  /^[a-z-]+:/ && c { sub(/:.*/, ""); gsub(/\$$\(BUILD\)/, build, c); line = sprintf("  make %-11s", $$0); \
	    col = length(line); n = split(c, w, " "); \
	    for (i = 1; i <= n; i++) \
	      if (i > 1 && col + 1 + length(w[i]) > 80) { line = line "\n" sprintf("%19s", "") w[i]; col = 19 + length(w[i]) } \
	      else { line = line " " w[i]; col += 1 + length(w[i]) } \
	    print line } { c = "" }' Makefile

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
