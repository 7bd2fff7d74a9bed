# atexit-conform: plain GNU make. `make conformance` is the main job, `make test` the tests.
# Build variants live in separate folders (build/<variant>) and never mix:
#   make VARIANT=debug | release (default) | asan | coverage

PREFIX ?= /usr/local
DESTDIR ?=
VARIANT ?= release
BUILD_ROOT ?= build
B := $(BUILD_ROOT)/$(VARIANT)

CC ?= cc
PYTHON ?= /usr/bin/python3
PKG_CONFIG ?= pkg-config

WARNINGS := -std=c11 -Wall -Wextra -pedantic -Wshadow -Wconversion \
            -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wvla
VARIANT_CFLAGS_release  := -O2
VARIANT_CFLAGS_debug    := -O0 -g3
VARIANT_CFLAGS_asan     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
VARIANT_CFLAGS_coverage := -O0 -g --coverage -DATX_GCOV_DUMP
VARIANT_LDFLAGS_asan     := -fsanitize=address,undefined
VARIANT_LDFLAGS_coverage := --coverage

CFLAGS ?= -g
CFLAGS += $(WARNINGS) $(VARIANT_CFLAGS_$(VARIANT)) -D_XOPEN_SOURCE=700 -fPIC
CPPFLAGS += -Iref/include -MMD -MP
LDFLAGS += $(VARIANT_LDFLAGS_$(VARIANT))
LDLIBS += -lpthread

# ---- libatx ---------------------------------------------------------------
REF_SRC := $(wildcard ref/src/*.c)
REF_OBJ := $(REF_SRC:%.c=$(B)/%.o)
LIB_A   := $(B)/libatx.a
LIB_SO  := $(B)/libatx.so

# ---- CMocka tests (one binary per ref/tests/test_<unit>.c) ------------------
TEST_SRC  := $(wildcard ref/tests/test_*.c)
TEST_BIN  := $(TEST_SRC:ref/tests/%.c=$(B)/ref/tests/%)
TEST_SUPPORT_SRC := $(filter-out $(TEST_SRC),$(wildcard ref/tests/*.c))
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(B)/%.o)

# ---- the C case runner -------------------------------------------------------
RUNNER_SRC := $(wildcard harness/runner/*.c)
RUNNER_OBJ := $(RUNNER_SRC:%.c=$(B)/%.o)
RUNNER     := $(B)/atx-case-runner
# A third-party C library implementing ref/include/atx.h can replace libatx.
ATX_LIB ?= $(LIB_A)
# Which library the runner was linked with: a changed ATX_LIB relinks it, whatever the dates.
ATX_LIB_STAMP := $(B)/atx-lib.stamp

.PHONY: all lib runner test test-c test-py test-stability conformance coverage bench deps pyodide \
        install uninstall clean
all: lib runner

lib: $(LIB_A) $(LIB_SO)
runner: $(RUNNER)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB_A): $(REF_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(LIB_SO): $(REF_OBJ)
	$(CC) -shared $(LDFLAGS) -Wl,-soname,libatx.so.0 -o $@ $^ $(LDLIBS)

$(B)/ref/tests/%: $(B)/ref/tests/%.o $(TEST_SUPPORT_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

$(RUNNER): $(RUNNER_OBJ) $(ATX_LIB) $(ATX_LIB_STAMP)
	$(CC) $(LDFLAGS) -o $@ $(RUNNER_OBJ) $(ATX_LIB) -ljansson $(LDLIBS)

$(ATX_LIB_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(abspath $(ATX_LIB))' | cmp -s - $@ || echo '$(abspath $(ATX_LIB))' > $@
FORCE:

# ---- dependencies: the Debian packages every target needs -----------------
# (chromium renders the HTML report in its test; python3-lxml validates JUnit XML.)
DEB_PACKAGES := gcc make pkg-config libjansson-dev libcmocka-dev gcovr \
                python3 python3-yaml python3-pytest python3-lxml chromium
deps:
	@sh tools/deps.sh $(DEB_PACKAGES)
	@command -v node >/dev/null && command -v npm >/dev/null || sh tools/deps.sh nodejs npm

# CPython 3.14 on WebAssembly, from the npm registry, into a git-ignored folder.
PYODIDE_STAMP := oracle/pyodide/node_modules/pyodide/package.json
pyodide: $(PYODIDE_STAMP)
$(PYODIDE_STAMP): oracle/pyodide/package.json oracle/pyodide/package-lock.json
	cd oracle/pyodide && npm ci --no-audit --no-fund
	@touch $@

# ---- jobs ---------------------------------------------------------------------
test: deps
	$(MAKE) test-c
	$(MAKE) test-c VARIANT=asan
	$(MAKE) test-py
	$(MAKE) test-stability
	$(MAKE) coverage

test-c: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

test-py: runner pyodide
	$(PYTHON) -m pytest -q harness/tests oracle/tests

# The oracle checked (wpt's --verify): every case STABILITY_REPEAT times on the default oracle
# (Debian's python3); a case whose runs differ, an oracle crash no known bug explains, or any
# divergence fails it. Reports in $(BUILD_ROOT)/stability, so reports/ stays make conformance's.
STABILITY_REPEAT ?= 3
test-stability: runner
	./atx-conform --runner $(RUNNER) --oracle default --repeat $(STABILITY_REPEAT) \
	    --fail-on-unstable -q --report-dir $(BUILD_ROOT)/stability

# Results of a runner linked with another library are named after it (libother-3.11).
# CONFORM_FLAGS: more ./atx-conform flags, e.g. "--expectations FILE" for an ATX_LIB's gate.
REFERENCE_NAME := $(if $(filter $(LIB_A),$(ATX_LIB)),reference,$(basename $(notdir $(ATX_LIB))))
conformance: deps runner pyodide
	./atx-conform --runner $(RUNNER) --reference-name $(REFERENCE_NAME) $(CONFORM_FLAGS)

coverage: deps
	$(PYTHON) coverage/run.py

# Cold full matrix against the start-up floor, warm re-run against cold: reports/bench.json.
bench: deps runner pyodide
	$(PYTHON) harness/bench.py --report-dir reports

install: lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 ref/include/atx.h ref/include/atx_process.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/libatx.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/libatx.so.0
	ln -sf libatx.so.0 $(DESTDIR)$(PREFIX)/lib/libatx.so
	sed 's|@PREFIX@|$(PREFIX)|' ref/libatx.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libatx.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/atx.h $(DESTDIR)$(PREFIX)/include/atx_process.h \
	      $(DESTDIR)$(PREFIX)/lib/libatx.a \
	      $(DESTDIR)$(PREFIX)/lib/libatx.so $(DESTDIR)$(PREFIX)/lib/libatx.so.0 \
	      $(DESTDIR)$(PREFIX)/lib/pkgconfig/libatx.pc

clean:
	rm -rf $(BUILD_ROOT) reports coverage/out .pytest_cache

-include $(REF_OBJ:.o=.d) $(RUNNER_OBJ:.o=.d) $(TEST_BIN:=.d) $(TEST_SUPPORT_OBJ:.o=.d)
