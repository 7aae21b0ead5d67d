# SPDX-License-Identifier: Apache-2.0
# tyto - build, test, benchmark and demo.
#
#   make                 build build/tyto
#   make test            install missing Debian packages, build, run every test
#   make SANITIZE=address,undefined test   the same under ASan+UBSan (in build-san/)
#   make demo            investigate the bundled demo case
#   make bench           benchmarks (bench/README.md)
#   make fuzz            libFuzzer binaries (clang) in build-fuzz/
#   CC=clang make        build with clang

CC ?= cc
PKGS := sqlite3 yaml-0.1 libarchive libzstd libcrypto libpcre2-8 zlib libpcap tsk auparse
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DTY_HAVE_ZLIB -Iinclude -Isrc $(WARN) \
	$(PKG_CFLAGS) $(CFLAGS)
LDLIBS := $(PKG_LIBS) -lpthread -lm
# Test-only: cJSON is the reference the JSON tokenizer is checked against.
TEST_LIBS := $(shell pkg-config --libs libcjson 2>/dev/null)

ifdef SANITIZE
BUILD ?= build-san
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
else
BUILD ?= build
endif

LIB_SRCS := $(sort $(wildcard src/base/*.c src/event/*.c src/read/*.c src/parse/*.c \
	src/sigma/*.c src/store/*.c src/ingest/*.c src/detect/*.c src/net/*.c src/report/*.c \
	src/correlate/*.c src/analyze/*.c))
# Parsers register themselves: every "const struct ty_parser ty_parser_X = {" at the
# start of a line in src/parse/*.c becomes one entry of the generated registry list.
PARSE_SRCS := $(sort $(wildcard src/parse/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz-%.c,%,$(FUZZ_SRCS))
GEN_SRCS := $(sort $(wildcard examples/gen/*.c bench/*.c))

LIB := $(BUILD)/libtyto.a
TYTO := $(BUILD)/tyto
UNIT := $(BUILD)/unit-tests

.PHONY: all test check-unit check-golden check-e2e check-conformance check-fuzz check-stories \
	check-detect check-zeek \
	bench demo deps \
	fuzz clean format help

all: $(TYTO)

help:
	@sed -n '2,12p' Makefile

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen-src/parser-list.h: $(PARSE_SRCS) Makefile
	@mkdir -p $(dir $@)
	@sed -n 's/^const struct ty_parser \(ty_parser_[a-z0-9_]*\) = {.*/TY_PARSER_ENTRY(\1)/p' \
		$(PARSE_SRCS) | LC_ALL=C sort > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(BUILD)/src/parse/parser.o: $(BUILD)/gen-src/parser-list.h
$(BUILD)/src/parse/parser.o: ALL_CFLAGS += -I$(BUILD)/gen-src

# tyto's rule pack, embedded: every rules/**/*.yml becomes one C string.
RULE_FILES := $(sort $(shell find rules -name '*.yml' 2>/dev/null))
$(BUILD)/gen-src/rules-builtin.c: $(RULE_FILES) scripts/embed-rules Makefile
	@mkdir -p $(dir $@)
	@scripts/embed-rules $(RULE_FILES) > $@.tmp && mv $@.tmp $@
$(BUILD)/gen-src/rules-builtin.o: $(BUILD)/gen-src/rules-builtin.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen-src/rules-builtin.o
	@rm -f $@
	ar rcs $@ $^

$(TYTO): $(CLI_SRCS:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: every tests/unit/test-NAME.c defines void test_NAME(void).
$(BUILD)/tests/unit/list.h: $(UNIT_SRCS)
	@mkdir -p $(dir $@)
	@for f in $(filter tests/unit/test-%.c,$(UNIT_SRCS)); do \
		n=$$(basename $$f .c); echo "TY_TEST($${n#test-})" | tr - _; done > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/tests/unit/runner.o: $(BUILD)/tests/unit/list.h
$(BUILD)/tests/unit/runner.o: ALL_CFLAGS += -I$(BUILD)/tests/unit

$(UNIT): $(UNIT_SRCS:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

# Fuzz targets, linked with a replay main so every build replays the corpus.
$(BUILD)/fuzz-%: $(BUILD)/tests/fuzz/fuzz-%.o $(BUILD)/tests/fuzz/replay-main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

# Generators (demo evidence, benchmark data): libc + zlib only. A story generator is
# examples/gen/NAME.c or the folder examples/gen/NAME/, plus the shared examples/gen/lib/.
GEN_LIB_SRCS := $(sort $(wildcard examples/gen/lib/*.c))
.SECONDEXPANSION:
$(BUILD)/gen/%: $$(wildcard examples/gen/$$*.c examples/gen/$$*/*.c examples/gen/$$*/*.h) \
		$(GEN_LIB_SRCS) $(wildcard examples/gen/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iexamples/gen/lib $(LDFLAGS) -o $@ \
		$(filter %.c,$(wildcard examples/gen/$*.c examples/gen/$*/*.c)) $(GEN_LIB_SRCS) -lz -lm
$(BUILD)/bench/gen-%: bench/gen-%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lz -lm
# Micro-benchmarks linking the library.
$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(TEST_LIBS) -lz

deps:
	@scripts/deps

check-unit: $(UNIT)
	$(UNIT)

check-golden: $(TYTO)
	@TYTO=$(TYTO) BUILD=$(BUILD) tests/golden/run.sh

check-e2e: $(TYTO)
	@for t in tests/e2e/*.sh; do TYTO=$(TYTO) BUILD=$(BUILD) $$t || exit 1; done

check-conformance: $(TYTO)
	@TYTO=$(TYTO) BUILD=$(BUILD) tests/conformance/run.sh
	@TYTO=$(TYTO) tests/conformance/cloud.sh

# Detection against outside oracles: Stratus Red Team, Falco, Panther, SigmaHQ (tests/detect).
check-detect: $(TYTO)
	@TYTO=$(TYTO) tests/detect/run.sh

# The pcap analyzer against Zeek's own logs of the zeek-btest traces (tests/zeek).
check-zeek: $(TYTO)
	@TYTO=$(TYTO) tests/zeek/run.sh

# The five stories against their answer keys (xfail while a needed capability is missing).
check-stories: $(TYTO)
	@TYTO=$(TYTO) BUILD=$(BUILD) tests/stories/run.sh

check-fuzz: $(FUZZ_NAMES:%=$(BUILD)/fuzz-%)
	@fail=0; for n in $(FUZZ_NAMES); do \
		$(BUILD)/fuzz-$$n tests/fuzz/corpus/$$n || fail=1; done; \
		if [ $$fail = 0 ]; then echo "fuzz-replay: $(words $(FUZZ_NAMES)) passed, 0 failed"; \
		else echo "fuzz-replay: corpus replay failed"; exit 1; fi

# The test command of the README: installs what is missing, then runs it all.
test:
	@scripts/deps
	@$(MAKE) --no-print-directory all $(UNIT)
	@$(MAKE) --no-print-directory check-unit check-golden check-e2e check-conformance check-fuzz \
		check-detect check-zeek check-stories

demo:
	@scripts/deps
	@$(MAKE) --no-print-directory all
	@scripts/demo $(TYTO)

bench:
	@scripts/deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bench/run.sh

# libFuzzer builds (clang): build-fuzz/fuzz-NAME, run with a corpus dir.
fuzz:
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=fuzzer,address,undefined" \
		$(FUZZ_NAMES:%=build-fuzz/fuzz-%-lf)
build-fuzz/fuzz-%-lf: build-fuzz/tests/fuzz/fuzz-%.o build-fuzz/libtyto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
