# sluice: small Unix programs that move a school's data between databases.
# POSIX-style make (GNU make features: wildcard, shell). See README.md.

PREFIX	?= /usr/local
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man/man1
CC	?= cc
CFLAGS	?= -O2 -g
PKGS	 = msgpack libpq libxxhash nettle sqlite3 json-c icu-uc icu-i18n

# Recursive (=) so that pkg-config runs after `make deps` installed it.
DEPCFLAGS = $(shell pkg-config --cflags $(PKGS))
# --as-needed: a program links a library only if it calls it, so ICU
# (for cols' expressions) is not loaded by every program.
DEPLIBS	  = -Wl,--as-needed $(shell pkg-config --libs $(PKGS)) -lcsv -lm
WFLAGS	 = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes
ALLFLAGS = $(WFLAGS) $(CFLAGS) $(EXTRA) -Ilib $(DEPCFLAGS)

# SAN=1 builds everything again under build/asan with the sanitizers.
ifeq ($(SAN),1)
OUT	 = build/asan/
TOUT	 = build/asan/tests
EXTRA	 = -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else
OUT	 =
TOUT	 = build/tests
EXTRA	 =
endif

LIBSRC	 = $(wildcard lib/*.c)
LIBHDR	 = $(wildcard lib/*.h)
LIBOBJ	 = $(patsubst %.c,$(OUT)%.o,$(LIBSRC))
LIBA	 = $(OUT)lib/libsluice.a

# The phone shim (lib/phone.cc, C++ over libphonenumber) is an archive
# of its own, so that only the programs that format phones link
# libphonenumber and libstdc++. A program, unit test or test tool named
# NAME links the extra libraries in XLIBS_NAME, and lists the archive
# among its prerequisites below.
CXX	?= g++
CXXWFLAGS = -std=c++17 -Wall -Wextra -Werror -Wshadow
PHONEA	 = $(OUT)lib/libsluice_phone.a
PHONELIBS = $(PHONEA) -lphonenumber -lstdc++
XLIBS_e164  = $(PHONELIBS)
XLIBS_phone = $(PHONELIBS)
# cols' e164() (lib/exfn.c) formats phones
XLIBS_cols  = $(PHONELIBS)
XLIBS_expr  = $(PHONELIBS)
XLIBS_colist = $(PHONELIBS)
# Only what hashes passwords needs libxcrypt (libcrypt-dev) and threads.
XLIBS_password = -lcrypt -pthread
XLIBS_pwhash = -lcrypt -pthread

# A program is one main file; verify's report formats (verify/report.c)
# are a part of verify, linked into it alone.
PARTSRC	 = verify/report.c
PROGSRC	 = $(filter-out $(PARTSRC),$(wildcard extract/*.c transform/*.c \
	   load/*.c verify/*.c))
PROGS	 = $(addprefix $(OUT)bin/,$(basename $(notdir $(PROGSRC))))
# The stage runner is a bash script; make puts it beside the programs.
SCRIPTS	 = $(OUT)bin/migrate
UNITSRC	 = $(wildcard tests/unit/*.c)
UNITS	 = $(patsubst tests/unit/%.c,$(TOUT)/%,$(UNITSRC))
# tests/tools/rsout.c is not a tool: the ending of a generated stream,
# linked into the tools and the benchmark programs (tests/tools/rsout.h).
RSOUT	 = $(TOUT)/tools/rsout.o
TOOLSRC	 = $(filter-out tests/tools/rsout.c,$(wildcard tests/tools/*.c))
TOOLS	 = $(patsubst tests/tools/%.c,$(TOUT)/tools/%,$(TOOLSRC))
BENCHSRC = $(wildcard bench/*.c)
BENCHES	 = $(patsubst bench/%.c,build/bench/%,$(BENCHSRC))
MANS	 = $(wildcard docs/*.1)

vpath %.c extract transform load verify

all: $(LIBA) $(PHONEA) $(PROGS) $(SCRIPTS) $(UNITS) $(TOOLS)

$(OUT)bin/migrate: scripts/migrate
	@mkdir -p $(@D)
	cp scripts/migrate $@
	chmod 755 $@

$(OUT)lib/%.o: lib/%.c $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(OUT)lib/phone.o: lib/phone.cc lib/phone.h
	@mkdir -p $(@D)
	$(CXX) $(CXXWFLAGS) $(CFLAGS) $(EXTRA) -Ilib -c -o $@ lib/phone.cc

$(PHONEA): $(OUT)lib/phone.o
	rm -f $@
	ar rcs $@ $(OUT)lib/phone.o

$(TOUT)/phone $(TOUT)/tools/e164 $(OUT)bin/cols $(TOUT)/expr \
    $(TOUT)/colist: $(PHONEA)

$(OUT)verify/%.o: verify/%.c verify/%.h $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -c -o $@ $<

XLIBS_verify = $(OUT)verify/report.o $(LIBA)
$(OUT)bin/verify: $(OUT)verify/report.o verify/report.h

$(OUT)bin/%: %.c $(LIBA) $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -o $@ $< $(LIBA) $(XLIBS_$(@F)) $(DEPLIBS)

$(TOUT)/%: tests/unit/%.c tests/unit/unit.h $(LIBA) $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Itests/unit -o $@ $< $(LIBA) $(XLIBS_$(@F)) $(DEPLIBS)

$(RSOUT): tests/tools/rsout.c tests/tools/rsout.h $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -c -o $@ tests/tools/rsout.c

$(TOUT)/tools/%: tests/tools/%.c $(RSOUT) tests/tools/rsout.h $(LIBA) $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -o $@ $< $(RSOUT) $(LIBA) $(XLIBS_$(@F)) $(DEPLIBS)

build/bench/%: bench/%.c $(RSOUT) tests/tools/rsout.h $(LIBA) $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Itests/tools -o $@ $< $(RSOUT) $(LIBA) $(XLIBS_$(@F)) $(DEPLIBS)

deps:
	scripts/install-deps

# The tests: the normal build, then the sanitizer build, then the suites.
# The bench suite of tests/run runs the benchmarks (QUICK=1): it needs
# their helper programs.
test: deps
	$(MAKE) all benches
	$(MAKE) SAN=1 all
	tests/run

check: all benches
	$(MAKE) SAN=1 all
	tests/run

fuzz: deps
	$(MAKE) all
	tests/fuzz/run $(FUZZTIME)

benches: $(BENCHES)

# QUICK=1 (make bench QUICK=1): 100,000 rows and one run each, no
# bench/results.md; without it, the full run writes bench/results.md.
bench: all benches
	scripts/install-deps --bench
	bench/run

demo: deps all
	scripts/demo $(DEMOFLAGS)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	cp $(PROGS) $(SCRIPTS) $(DESTDIR)$(BINDIR)/
	cp $(MANS) $(DESTDIR)$(MANDIR)/

clean:
	rm -rf bin build lib/*.o lib/libsluice.a lib/libsluice_phone.a verify/*.o

.PHONY: all deps test check fuzz benches bench demo install clean
