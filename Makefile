# libnixcontainer, the nixcontainer CLI and the conformance harness.
#   make            library and CLI in build/
#   make check      every tier (README's table says what each needs and takes),
#                   side by side; then each tier's closing line
#   make golden     regenerate golden/ from the module (needs nix, a nixpkgs lib/)
#   make SANITIZE=1 check   the same under ASan and UBSan (in build-san/)

CC       ?= cc
# A cross build's tools (dh passes both when cross-compiling); make's own
# default AR is ar.
PKG_CONFIG ?= pkg-config
PKGS     := libnl-3.0 libnl-route-3.0 jansson libcap
# The library parses JSON itself (ref/lib/json.c); the tests keep jansson.
LIB_PKGS := libnl-3.0 libnl-route-3.0 libcap
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    ?= build
SANFLAGS :=
endif
# A distribution's CFLAGS, CPPFLAGS and LDFLAGS are honoured (CPPFLAGS and
# CFLAGS on every compile, LDFLAGS on the links of what is installed and of
# the tiers). -Werror is the project's own: on in a git checkout (a clone,
# CI's .ci/run), off in a release tarball and for packagers (WERROR=0;
# debian/rules and package.nix say so), on anywhere with WERROR=1.
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
WERROR   ?= $(if $(wildcard .git),1,0)
# V=1 shows each compile and link command as run (a distribution's build
# log, which checks such as blhc read for the flags); by default each is
# one "  CC      file" line.
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
# The installation directories (GNU's names); DESTDIR is prepended by
# `make install` and `make uninstall` only. Nothing of them is compiled in:
# the CLI finds nixcontainer-init relative to itself (ref/cli/installed-init.c),
# so `make install PREFIX=/usr` after a plain `make` installs a working CLI.
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
LIBEXECDIR   ?= $(PREFIX)/libexec
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# The install program (GNU's INSTALL; dh passes one that does not strip).
INSTALL      ?= install
WARN     := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(CPPFLAGS) $(WARN) $(CFLAGS) $(SANFLAGS) -fPIC -Iref \
              $(shell $(PKG_CONFIG) --cflags $(PKGS)) -MMD -MP
LDLIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
LIB_LDLIBS := $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))
TEST_LDLIBS := $(LDLIBS) $(shell $(PKG_CONFIG) --libs cunit)
# nixcontainer-init and the CLI's memcheck twin link libnl and libcap
# statically and only libc dynamically, so that valgrind can follow malloc.
# LINK_STATIC=0 links both against the shared libnl and libcap, for a
# system without their static archives (package.nix: nixpkgs ships none).
LINK_STATIC ?= 1
ifeq ($(LINK_STATIC),1)
PROGRAM_LDLIBS := -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs-only-l $(LIB_PKGS)) -Wl,-Bdynamic -lpthread
else
PROGRAM_LDLIBS := $(LIB_LDLIBS) -lpthread
endif
# The CLI itself is a static PIE, libc included: a start then maps and
# relocates no shared library at all, which is most of what a start cost
# (make bench, row 1: 0.13 ms of 0.64 ms per start on the project's machine).
# glibc warns that getaddrinfo and getprotobyname, which libnl's unused
# helpers reference, need its shared libraries at run time; those warnings
# are dropped, any other message is shown. Sanitizer builds cannot link
# statically and use PROGRAM_LDLIBS, as LINK_STATIC=0 does.
ifeq ($(filter 1,$(SANITIZE))$(LINK_STATIC),1)
CLI_LINK := -static-pie $(shell $(PKG_CONFIG) --libs --static $(LIB_PKGS))
else
CLI_LINK := $(PROGRAM_LDLIBS)
endif
STATIC_GLIBC_WARNINGS := in function `|statically linked applications requires at runtime

LIB_SRCS  := $(sort $(wildcard ref/lib/*.c))
CLI_SRCS  := $(sort $(wildcard ref/cli/*.c))
INIT_SRCS := $(sort $(wildcard ref/init/*.c))
UNIT_SRCS := $(sort $(wildcard ref/test/*.c))
CONF_SRCS := $(sort $(wildcard harness/conformance/*.c))
# harness/lib/: the floor every tier and the bench stand on -- fixtures and
# goldens, reports, processes and the worker pool, the implementations under
# test, namespaces, the dump and the .net file, the nspawn simulation, text,
# files and time. Each harness/<tier>/ holds that tier only.
COMMON_TEST_SRCS := $(sort $(wildcard harness/lib/*.c))

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
INIT_OBJS := $(INIT_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)
CONF_OBJS := $(CONF_SRCS:%.c=$(BUILD)/obj/%.o)
COMMON_TEST_OBJS := $(COMMON_TEST_SRCS:%.c=$(BUILD)/obj/%.o)

SONAME   := libnixcontainer.so.1

.PHONY: all clean check unit conformance memcheck golden symbols docs bench
all: $(BUILD)/libnixcontainer.a $(BUILD)/$(SONAME) $(BUILD)/nixcontainer $(BUILD)/nixcontainer-init \
     $(BUILD)/nixcontainer-memcheck

# Include paths by component: ref/lib's headers are the library's own
# (library, CLI, init and its unit tests in ref/test); the harness and the
# bench see harness/lib/, nixcontainer.h and nixcontainer-test.h (-Iref).
# The unit tests are a tier too: they also see harness/lib/ (their suites,
# the escaped printer), whose objects test-unit links.
$(BUILD)/obj/ref/%.o: ALL_CFLAGS += -Iref/lib
$(BUILD)/obj/ref/test/%.o: ALL_CFLAGS += -Iharness/lib
$(BUILD)/obj/harness/%.o: ALL_CFLAGS += -Iharness/lib
$(BUILD)/obj/bench/%.o: ALL_CFLAGS += -Iharness/lib

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libnixcontainer.a: $(LIB_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	$(Q)$(AR) rcs $@ $^

$(BUILD)/$(SONAME): $(LIB_OBJS) ref/libnixcontainer.map
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=ref/libnixcontainer.map \
	    -o $@ $(LIB_OBJS) $(LIB_LDLIBS)
	@ln -sf $(SONAME) $(BUILD)/libnixcontainer.so

$(BUILD)/nixcontainer: $(CLI_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libnixcontainer.a $(CLI_LINK) 2> $@.link-log || \
	    { cat $@.link-log; exit 1; }
	@grep -Ev '$(STATIC_GLIBC_WARNINGS)' $@.link-log >&2 || true

# The same objects with libc shared: what `make memcheck` runs as the CLI.
$(BUILD)/nixcontainer-memcheck: $(CLI_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libnixcontainer.a $(PROGRAM_LDLIBS)

$(BUILD)/nixcontainer-init: $(INIT_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(INIT_OBJS) $(BUILD)/libnixcontainer.a $(PROGRAM_LDLIBS)

# ---- install (harness/install/ tests it) -------------------------------------
# What a distribution installs, each in its GNU directory under DESTDIR. The
# version is NC_VERSION of ref/nixcontainer.h, the one place it is written.
NC_VERSION_STRING := $(shell sed -n 's/^\#define NC_VERSION "\(.*\)"$$/\1/p' ref/nixcontainer.h)
# LIBEXECDIR relative to BINDIR: how the CLI finds nixcontainer-init. The
# object that holds it is rebuilt when an install names another relation.
INIT_FROM_BINDIR := $(shell realpath -m --relative-to='$(BINDIR)' '$(LIBEXECDIR)')
$(BUILD)/obj/ref/cli/installed-init.o: ALL_CFLAGS += -DNC_INIT_FROM_BINDIR='"$(INIT_FROM_BINDIR)"'
$(BUILD)/obj/ref/cli/installed-init.o: $(BUILD)/init-from-bindir
$(BUILD)/init-from-bindir: FORCE
	@mkdir -p $(BUILD)
	@echo '$(INIT_FROM_BINDIR)' | cmp -s - $@ || echo '$(INIT_FROM_BINDIR)' > $@
.PHONY: FORCE
FORCE:

MAN_PAGES := $(BUILD)/man/nixcontainer.1 $(BUILD)/man/nixcontainer-init.8 $(BUILD)/man/libnixcontainer.3
# The man pages are printed by the programs and read from the header
# (ref/man/gen-man.sh), so that they say what --help and the tables say.
$(BUILD)/man/%: ref/man/gen-man.sh ref/nixcontainer.h ref/init/nixcontainer-init.c $(BUILD)/nixcontainer \
                $(BUILD)/nixcontainer-init
	@mkdir -p $(dir $@)
	@echo "  MAN     $@"
	@bash ref/man/gen-man.sh --cli $(BUILD)/nixcontainer --init $(BUILD)/nixcontainer-init \
	    --header ref/nixcontainer.h --version $(NC_VERSION_STRING) \
	    $* > $@.tmp && mv $@.tmp $@

# Written again whenever its directories or the version differ (an install
# with another PREFIX after a build).
$(BUILD)/libnixcontainer.pc: FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	    'Name: libnixcontainer' \
	    'Description: NixOS declarative containers: env file, unit, argv and network setup, from a JSON config' \
	    'Version: $(NC_VERSION_STRING)' 'Requires.private: $(LIB_PKGS)' \
	    'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lnixcontainer' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else echo "  PC      $@"; mv $@.tmp $@; fi

.PHONY: man install uninstall install-conformance uninstall-conformance install-test
man: $(MAN_PAGES)

install: all man $(BUILD)/libnixcontainer.pc
	$(INSTALL) -D -m 0755 $(BUILD)/nixcontainer $(DESTDIR)$(BINDIR)/nixcontainer
	$(INSTALL) -D -m 0755 $(BUILD)/nixcontainer-init $(DESTDIR)$(LIBEXECDIR)/nixcontainer-init
	$(INSTALL) -D -m 0644 $(BUILD)/libnixcontainer.a $(DESTDIR)$(LIBDIR)/libnixcontainer.a
	$(INSTALL) -D -m 0644 $(BUILD)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libnixcontainer.so
	$(INSTALL) -D -m 0644 ref/nixcontainer.h $(DESTDIR)$(INCLUDEDIR)/nixcontainer.h
	$(INSTALL) -D -m 0644 $(BUILD)/libnixcontainer.pc $(DESTDIR)$(PKGCONFIGDIR)/libnixcontainer.pc
	$(INSTALL) -D -m 0644 $(BUILD)/man/nixcontainer.1 $(DESTDIR)$(MANDIR)/man1/nixcontainer.1
	$(INSTALL) -D -m 0644 $(BUILD)/man/nixcontainer-init.8 $(DESTDIR)$(MANDIR)/man8/nixcontainer-init.8
	$(INSTALL) -D -m 0644 $(BUILD)/man/libnixcontainer.3 $(DESTDIR)$(MANDIR)/man3/libnixcontainer.3

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nixcontainer $(DESTDIR)$(LIBEXECDIR)/nixcontainer-init \
	    $(DESTDIR)$(LIBDIR)/libnixcontainer.a $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libnixcontainer.so \
	    $(DESTDIR)$(INCLUDEDIR)/nixcontainer.h $(DESTDIR)$(PKGCONFIGDIR)/libnixcontainer.pc \
	    $(DESTDIR)$(MANDIR)/man1/nixcontainer.1 $(DESTDIR)$(MANDIR)/man8/nixcontainer-init.8 \
	    $(DESTDIR)$(MANDIR)/man3/libnixcontainer.3

# The conformance suite without the source tree: test-conformance and
# test-netns in LIBEXECDIR/nixcontainer, the fixtures and goldens in
# DATADIR/nixcontainer (the nixcontainer-conformance package).
CONFORMANCE_DIR := $(LIBEXECDIR)/nixcontainer
CONFORMANCE_DATA := $(DATADIR)/nixcontainer
install-conformance: $(BUILD)/test-conformance $(BUILD)/test-netns
	$(INSTALL) -D -m 0755 $(BUILD)/test-conformance $(DESTDIR)$(CONFORMANCE_DIR)/test-conformance
	$(INSTALL) -D -m 0755 $(BUILD)/test-netns $(DESTDIR)$(CONFORMANCE_DIR)/test-netns
	mkdir -p $(DESTDIR)$(CONFORMANCE_DATA)/fixtures
	cp -R --no-preserve=ownership golden $(DESTDIR)$(CONFORMANCE_DATA)/
	cp -R --no-preserve=ownership fixtures/*.json fixtures/invalid $(DESTDIR)$(CONFORMANCE_DATA)/fixtures/

uninstall-conformance:
	rm -f $(DESTDIR)$(CONFORMANCE_DIR)/test-conformance $(DESTDIR)$(CONFORMANCE_DIR)/test-netns
	rm -rf $(DESTDIR)$(CONFORMANCE_DATA)/fixtures $(DESTDIR)$(CONFORMANCE_DATA)/golden
	-rmdir $(DESTDIR)$(CONFORMANCE_DIR) $(DESTDIR)$(CONFORMANCE_DATA) 2>/dev/null

# Installs into a scratch DESTDIR with PREFIX=/usr after this build, checks
# what was installed, builds an outside program with pkg-config, then
# uninstalls (harness/install/test-install.sh).
install-test: all
	SANITIZE=$(SANITIZE) bash harness/install/test-install.sh $(BUILD)

# The Debian packages (debian/) built from a copy of the tree, installed into
# a throwaway root, and tested there (harness/install/test-debian.sh).
.PHONY: deb-test
deb-test:
	@mkdir -p $(BUILD)
	bash harness/install/test-debian.sh $(BUILD)

# package.nix and flake.nix: parsed, evaluated against a stub of nixpkgs,
# their makeFlags tried on this Makefile (harness/install/test-nix.sh).
.PHONY: nix-test
nix-test:
	@mkdir -p $(BUILD)
	bash harness/install/test-nix.sh $(BUILD)
# ---- end of install ------------------------------------------------------------

$(BUILD)/test-unit: $(UNIT_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a $(TEST_LDLIBS)

$(BUILD)/test-conformance: $(CONF_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CONF_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a $(TEST_LDLIBS)

# The shared library exports exactly the functions nixcontainer.h declares.
symbols: $(BUILD)/$(SONAME)
	@bash ci/check-symbols.sh $(BUILD)/$(SONAME) $(BUILD)

unit: $(BUILD)/test-unit
	$(BUILD)/test-unit

conformance: $(BUILD)/test-conformance $(BUILD)/nixcontainer
	$(BUILD)/test-conformance --cli $(BUILD)/nixcontainer --exact-messages --golden golden/21.05 --fixtures fixtures
	$(BUILD)/test-conformance --cli $(BUILD)/nixcontainer --exact-messages --golden golden/21.05/invalid --fixtures fixtures/invalid

# ---- memcheck ------------------------------------------------------------------
# The library under valgrind on every fixture, in-process: the unit tests,
# the fault tier, the conformance suite (the oldest and the newest set, the
# valid and the invalid corpus) and the namespace tier (the newest set).
# The CLI (as nixcontainer-memcheck: valgrind follows malloc only through a
# shared libc) under valgrind on the fixtures of harness/memcheck/cli-fixtures,
# which together reach every line of ref/cli/ that the whole corpus reaches
# (memcheck-cover checks that they still do), and every command on a few
# fixtures of the newest release. One log per process; the parts run side
# by side (under `make check`, in its job slots), the longest first; then
# one closing line for all (ci/valgrind-report.sh). --read-inline-info=no: a
# report names the function a leak or an error is in without the functions
# inlined into it, and each process starts in a quarter less time (it is
# most of what a short process costs under valgrind).
VALGRIND := valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
            --trace-children=no --read-inline-info=no
MEMCHECK_CLI_CMD = $(VALGRIND) --log-file=$(abspath $(BUILD))/valgrind/cli.%p.log $(abspath $(BUILD))/nixcontainer-memcheck
MEMCHECK_PARTS := memcheck-faults memcheck-netns memcheck-cover memcheck-unit memcheck-cli memcheck-library
# The sets memcheck-library takes: the seed's and the newest release at its
# own stateVersion (the flag array, idmap binds, the MAC step, the export
# format's fields).
MEMCHECK_NEWEST = $(lastword $(GOLDEN_SETS))
MEMCHECK_SETS = 21.05 $(MEMCHECK_NEWEST)
# Every command of the CLI on these, at the newest set: what later releases added.
MEMCHECK_RELEASE_FIXTURES := kitchen-sink,private-users-pick,local-mac-address,imperative-enable-containers,flake
NPROC := $(shell nproc 2>/dev/null || echo 2)
# -jN for a recursive make, unless it runs under a jobserver already (make
# -jN, make check): then it takes its job slots from that one.
SUB_JOBS = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(1))

ifeq ($(SANITIZE),1)
MEMCHECK_BINS :=
else
MEMCHECK_BINS := $(BUILD)/test-unit $(BUILD)/test-conformance $(BUILD)/nixcontainer-memcheck $(BUILD)/test-faults \
                 $(BUILD)/test-netns
endif

memcheck: $(MEMCHECK_BINS)
ifeq ($(SANITIZE),1)
	@echo "memcheck: 0 passed, 0 failed, 1 skipped in 0.0 s; skipped: SANITIZE=1 (ASan and valgrind do not mix)"
else
	@rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind && date +%s%6N > $(BUILD)/valgrind/started
	@NC_REPORTS_DIR= $(MAKE) --no-print-directory -k $(call SUB_JOBS,$(NPROC)) $(MEMCHECK_PARTS); \
	    bash ci/valgrind-report.sh $(BUILD)/valgrind $$?
endif

# memcheck-PART's output goes to $(BUILD)/valgrind/PART.out, shown (its end)
# when the part fails; its wall time to PART.time.
MEMCHECK_RUN = bash ci/run-part.sh --tail 60 $(BUILD)/valgrind
memcheck-unit:
	@$(MEMCHECK_RUN) unit $(VALGRIND) --log-file=$(BUILD)/valgrind/unit.%p.log $(BUILD)/test-unit
memcheck-faults:
	@$(MEMCHECK_RUN) faults $(VALGRIND) --log-file=$(BUILD)/valgrind/faults.%p.log $(BUILD)/test-faults fixtures
memcheck-library:
	@for set in $(MEMCHECK_SETS); do \
	    $(MEMCHECK_RUN) library-$$set $(VALGRIND) --log-file=$(BUILD)/valgrind/library.%p.log $(BUILD)/test-conformance \
	        --exact-messages --release $$set --fixtures fixtures || exit 1; \
	    $(MEMCHECK_RUN) library-invalid-$$set $(VALGRIND) --log-file=$(BUILD)/valgrind/library.%p.log \
	        $(BUILD)/test-conformance --exact-messages --release $$set --golden golden/$$set/invalid \
	        --fixtures fixtures/invalid || exit 1; \
	done
memcheck-netns:
	@$(MEMCHECK_RUN) netns $(VALGRIND) --log-file=$(BUILD)/valgrind/netns.%p.log $(BUILD)/test-netns --impl ref \
	    --release $(MEMCHECK_NEWEST) --fixtures fixtures
# The CLI's runs: test-conformance and test-netns run natively, the CLI
# under valgrind; harness/memcheck/cli-fixtures one group (tier, set,
# corpus) at a time.
memcheck-cli:
	@bash harness/memcheck/cli-groups.sh harness/memcheck/cli-fixtures | \
	while read -r tier set corpus ids; do \
	    golden=golden/$$set; [ "$$corpus" = fixtures/invalid ] && golden=golden/$$set/invalid; \
	    case $$tier in \
	    conformance) $(MEMCHECK_RUN) cli-$$set-$${corpus#*/} $(BUILD)/test-conformance --cli-only \
	        --cli "$(MEMCHECK_CLI_CMD)" --exact-messages --release $$set --golden $$golden --fixtures $$corpus \
	        --only $$ids || exit 1 ;; \
	    netns) $(MEMCHECK_RUN) cli-netns-$$set $(BUILD)/test-netns --impl "exec:$(MEMCHECK_CLI_CMD)" \
	        --release $$set --fixtures fixtures --only $$ids || exit 1 ;; \
	    esac; \
	done
	@$(MEMCHECK_RUN) cli-release $(BUILD)/test-conformance --cli-only --cli "$(MEMCHECK_CLI_CMD)" --exact-messages \
	    --release $(MEMCHECK_NEWEST) --fixtures fixtures --only $(MEMCHECK_RELEASE_FIXTURES)
	@$(MEMCHECK_RUN) cli-release-netns $(BUILD)/test-netns --impl "exec:$(MEMCHECK_CLI_CMD)" \
	    --release $(MEMCHECK_NEWEST) --fixtures fixtures --only $(MEMCHECK_RELEASE_FIXTURES)
# harness/memcheck/cli-fixtures still reaches every line of ref/cli/ the
# corpus reaches (a build of the CLI with gcov counters in $(BUILD)-cov).
memcheck-cover: $(BUILD)/test-conformance $(BUILD)/test-netns
	@$(MEMCHECK_RUN) cover bash harness/memcheck/select-cli-fixtures.sh --build $(BUILD) --cov $(BUILD)-cov \
	    --check harness/memcheck/cli-fixtures
.PHONY: $(MEMCHECK_PARTS)
# ---- end of memcheck -----------------------------------------------------------

# README's option table is `nixcontainer options`, the loader's own table.
docs: $(BUILD)/nixcontainer
	@bash ci/check-docs.sh $(BUILD)/nixcontainer $(BUILD)

# ---- goldens and releases (harness/golden/, harness/release-diff/) -----------
# `make golden` regenerates golden/<set>/ for every release of
# harness/golden/releases (each module evaluated with a nixpkgs lib of its
# time, fetched into .cache/), then their .net files; `make golden
# RELEASE=26.05` one release. A module of one's own (a nixpkgs checkout, say)
# is a release of its own: `make golden MODULE=file NIXPKGS_LIB=dir
# RELEASE=label`. Needs root, nix, jq and systemd (golden/README.md).
# NIXPKGS_LIB and MODULE also name the seed's module and lib for the bench
# and the live tier's start scripts.
NIXPKGS_LIB ?= .cache/nixpkgs-lib/lib
MODULE      ?= ../shared/seed/nixos-containers.nix
GOLDEN_OWN  := $(if $(filter command line environment,$(origin MODULE)),--module "$(MODULE)" --lib "$(NIXPKGS_LIB)")
golden: $(BUILD)/test-netns
	bash harness/golden/golden.sh --netns $(BUILD)/test-netns $(if $(RELEASE),--release "$(RELEASE)") $(GOLDEN_OWN)

# Only golden/<set>/<fixture>/containers.json (what make golden also
# writes): each fixture's host exported by ref/nix/export-containers.nix,
# by nix evaluation alone (no root, no start script run).
.PHONY: golden-export
golden-export:
	bash harness/golden/golden.sh --export-only $(if $(RELEASE),--release "$(RELEASE)") $(GOLDEN_OWN)

# The exported containers.json of each golden set (EXPORT_SETS: some of
# them) given to the CLI and the library by the conformance suite
# (--exported) and compared with the set's goldens; and the expression's
# own checks (harness/export/test-export.sh). Root for argv.
EXPORT_SETS ?= $(GOLDEN_SETS)
.PHONY: export-test
export-test: $(BUILD)/nixcontainer $(BUILD)/test-conformance
	bash harness/export/test-export.sh --cli $(BUILD)/nixcontainer --conformance $(BUILD)/test-conformance $(EXPORT_SETS)

# The golden sets there are: golden/<set>/SOURCE, oldest release first.
GOLDEN_SETS := $(patsubst golden/%/SOURCE,%,$(sort $(wildcard golden/*/SOURCE)))
# The pairs `make release-diff` compares: each release with the next (the
# host at stateVersion 21.05), each release at its own stateVersion with the
# next at its own, and each release with itself at its own stateVersion.
RELEASE_PAIRS := $(shell awk '!/^\#/ && NF { print $$1, $$4 }' harness/golden/releases | awk ' \
        { if (prev != "") print "--pair " prev ":" $$1; prev = $$1; \
          if ($$2 != "-") { print "--pair " $$1 ":" $$1 "@" $$2; \
                            if (own != "") print "--pair " own ":" $$1 "@" $$2; own = $$1 "@" $$2 } }')

RELEASE_DIFF_FIXTURES := --fixtures fixtures --fixtures fixtures/invalid:invalid

$(BUILD)/release-diff: $(BUILD)/obj/harness/release-diff/release-diff.o $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LDLIBS)

# golden/RELEASES.md, or with FROM and TO one pair on standard output.
.PHONY: release-diff
release-diff: $(BUILD)/release-diff
ifneq ($(FROM)$(TO),)
	$(BUILD)/release-diff --golden golden $(RELEASE_DIFF_FIXTURES) --pair "$(FROM):$(TO)"
else
	$(BUILD)/release-diff --golden golden $(RELEASE_DIFF_FIXTURES) $(RELEASE_PAIRS) --out golden/RELEASES.md
endif

# The tiers over the other releases: for every set, the namespace tier runs
# the set's original scripts, the library and the CLI (the fixture's config
# names the set's release and stateVersion) against its .net goldens, and
# the conformance suite checks the library and the CLI against its goldens
# and its invalid corpus.
.PHONY: releases
releases: $(BUILD)/test-netns $(BUILD)/test-conformance $(BUILD)/nixcontainer $(BUILD)/release-diff
	@status=0; for set in $(filter-out 21.05,$(GOLDEN_SETS)); do \
	    $(BUILD)/test-netns --impl original --release "$$set" --fixtures fixtures || status=1; \
	    $(BUILD)/test-netns --impl ref --release "$$set" --fixtures fixtures || status=1; \
	    $(BUILD)/test-netns --impl exec:$(BUILD)/nixcontainer --release "$$set" --fixtures fixtures || status=1; \
	    $(BUILD)/test-conformance --cli $(BUILD)/nixcontainer --exact-messages --release "$$set" --fixtures fixtures || status=1; \
	    $(BUILD)/test-conformance --cli $(BUILD)/nixcontainer --exact-messages --release "$$set" \
	        --golden "golden/$$set/invalid" --fixtures fixtures/invalid || status=1; \
	done; \
	bash harness/release-diff/test-release-diff.sh $(BUILD)/release-diff "$(RELEASE_DIFF_FIXTURES)" \
	    "$(RELEASE_PAIRS)" $(lastword $(GOLDEN_SETS)) || status=1; exit $$status
# ---- end of goldens and releases ------------------------------------------------

clean:
	rm -rf build build-san

# ---- namespace tier (harness/netns/) ---------------------------------------
# What an implementation does to the network, in throwaway namespaces,
# compared with what the module's own scripts do (golden/<set>/<fixture>/NAME.net).
# The tier is run-fixture.c (one fixture in a worker) and test-netns.c; the
# implementations, the worker pool and the simulated nspawn are harness/lib's.
# Needs root; `make golden-net` regenerates the .net goldens from the original.
NETNS_SRCS := $(sort $(wildcard harness/netns/*.c))
NETNS_OBJS := $(NETNS_SRCS:%.c=$(BUILD)/obj/%.o)
NETNS_ARGS := --fixtures fixtures --golden golden/21.05

$(BUILD)/test-netns: $(NETNS_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(NETNS_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a $(TEST_LDLIBS)

.PHONY: netns netns-kill golden-net
netns: $(BUILD)/test-netns $(BUILD)/nixcontainer
	$(BUILD)/test-netns --impl original $(NETNS_ARGS) && \
	$(BUILD)/test-netns --impl ref $(NETNS_ARGS) && \
	$(BUILD)/test-netns --impl exec:$(BUILD)/nixcontainer $(NETNS_ARGS)

# The tier stopped with SIGINT, SIGTERM and SIGKILL in the middle of a run:
# nothing left behind, and what a killed run left is removed by the next.
netns-kill: $(BUILD)/test-netns
	bash harness/netns/test-kill.sh $(BUILD)

golden-net: $(BUILD)/test-netns
	for set in $(GOLDEN_SETS); do \
	    bash harness/golden/run-network.sh --netns $(BUILD)/test-netns --fixtures fixtures --golden "golden/$$set" || exit 1; \
	done
# ---- end of the namespace tier ----------------------------------------------

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- faults (harness/faults/) ----------------------------------------------
# The library's allocations and netlink I/O are linked through wrappers so
# that each call site can be made to fail in turn; kernel refusals are caused
# in throwaway network namespaces (root).
FAULT_SRCS := $(sort $(wildcard harness/faults/*.c))
FAULT_OBJS := $(FAULT_SRCS:%.c=$(BUILD)/obj/%.o)
# Of harness/lib, the fault tier needs text.o (it reads the fixtures), array.o,
# tier.o (its signals and closing line), suite.o and args.o (its CUnit suite).
FAULT_LIB_OBJS := $(BUILD)/obj/harness/lib/results.o $(BUILD)/obj/harness/lib/report.o $(BUILD)/obj/harness/lib/text.o $(BUILD)/obj/harness/lib/array.o $(BUILD)/obj/harness/lib/tier.o \
                  $(BUILD)/obj/harness/lib/suite.o $(BUILD)/obj/harness/lib/args.o
FAULT_WRAPS := malloc calloc realloc strdup strndup asprintf nlmsg_alloc_simple nl_socket_alloc \
               nl_cb_alloc nl_connect nl_send_auto nl_sendto nl_recvmsgs
FAULT_LDFLAGS := $(foreach s,$(FAULT_WRAPS),-Wl,--wrap=$(s))

$(BUILD)/test-faults: $(FAULT_OBJS) $(FAULT_LIB_OBJS) $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(FAULT_OBJS) $(FAULT_LIB_OBJS) $(BUILD)/libnixcontainer.a $(FAULT_LDFLAGS) $(TEST_LDLIBS)

.PHONY: faults
faults: $(BUILD)/test-faults
	$(BUILD)/test-faults fixtures

# ---- libFuzzer targets (harness/fuzz/) --------------------------------------
# clang's libFuzzer with ASan and UBSan. The library is compiled again for
# them (with fuzzer-no-link coverage) into $(BUILD)/fuzz/obj; the gcc objects
# are not reused. `make fuzz [FUZZ_SECONDS=60]` runs each target in turn for
# FUZZ_SECONDS over a scratch copy of fixtures/fuzz/<target>/ and fails if
# any of them crashes (the input is kept in $(BUILD)/fuzz/run/<target>/).
# Needs clang and libclang-rt-14-dev (the fuzzer and sanitizer runtimes).
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_TARGETS  := fuzz-config fuzz-env-file fuzz-render-parse fuzz-argv fuzz-ip-address fuzz-net-plan \
                 fuzz-cli-args fuzz-init-config fuzz-guest-system
FUZZ_CFLAGS   := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all -D_GNU_SOURCE -Iref \
                 $(shell $(PKG_CONFIG) --cflags $(PKGS)) -MMD -MP
# The CLI's and the init's pieces that a target calls (no main()).
FUZZ_APP_SRCS := ref/cli/cli-args.c ref/cli/cli-common.c ref/cli/guest-system.c ref/init/init-config.c
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o) $(FUZZ_APP_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
# fuzz-common.c prints with harness/lib's text.c (which grows with array.c).
FUZZ_COMMON_OBJS := $(BUILD)/fuzz/obj/harness/fuzz/fuzz-common.o $(BUILD)/fuzz/obj/harness/lib/text.o \
                    $(BUILD)/fuzz/obj/harness/lib/array.o
FUZZ_HARNESS_OBJS := $(FUZZ_COMMON_OBJS) $(FUZZ_TARGETS:%=$(BUILD)/fuzz/obj/harness/fuzz/%.o)
FUZZ_BINS     := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# The library: instrumented, no -Werror (clang warns where gcc does not),
# with its own headers (-Iref/lib); the targets see nixcontainer.h and
# nixcontainer-test.h, harness/lib, and the headers of the CLI and the init
# whose pieces they call (cli.h and init-config.h, which include only
# nixcontainer.h of the library's headers): no ref/lib header, as for every
# other harness file.
$(FUZZ_LIB_OBJS): $(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iref/lib -Wall -Wextra -Wno-unused-parameter \
	    -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(FUZZ_HARNESS_OBJS): $(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iharness/lib $(WARN) -Iref/cli -Iref/init -fsanitize=fuzzer,address,undefined \
	    -c -o $@ $<

$(FUZZ_BINS): $(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/harness/fuzz/%.o $(FUZZ_COMMON_OBJS) $(FUZZ_LIB_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -g -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

fuzz: $(FUZZ_BINS)
	bash harness/fuzz/run.sh --build $(BUILD)/fuzz --seconds $(FUZZ_SECONDS) \
	    --corpus fixtures/fuzz --dict harness/fuzz $(FUZZ_TARGETS)

-include $(shell find $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)
# ---- end of the libFuzzer targets -------------------------------------------

# ---- the CLI's own edges (harness/cli/) -------------------------------------
.PHONY: cli-test
cli-test: $(BUILD)/nixcontainer $(BUILD)/nixcontainer-init $(BUILD)/test-conformance $(BUILD)/test-netns $(BUILD)/release-diff $(BUILD)/test-faults \
          $(BUILD)/test-unit
	bash harness/cli/test-cli.sh $(BUILD)

# ---- nixcontainer-init (harness/init/) -------------------------------------
.PHONY: init-test
init-test: $(BUILD)/nixcontainer-init
	bash harness/init/test-init.sh $(BUILD)

# ---- benchmark (bench/) -----------------------------------------------------
# `make bench` (root): the ref against the module's own scripts and nix, each
# comparison measured side by side in one run (alternating rounds, medians,
# ratios); prints the table and writes it, with the machine, to
# bench/RESULTS.md. See bench/README.md. The bench sees the public header and
# harness/lib/, links harness/lib's objects, and wraps libnl's send and
# receive to count and time the library's requests. The nix row needs nix
# and NIXPKGS_LIB.
BENCH_SRCS     := $(sort $(wildcard bench/*.c))
BENCH_OBJS     := $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o)
BENCH_ROUNDS       ?= 15
BENCH_SUITE_ROUNDS ?= 7
BENCH_NIX_ROUNDS   ?= 1
BENCH_ARGS     ?=

$(BUILD)/bench/nixcontainer-bench: $(BENCH_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BENCH_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a \
	    -Wl,--wrap=nl_send_auto -Wl,--wrap=nl_sendto -Wl,--wrap=nl_recvmsgs $(TEST_LDLIBS) -lm

# (live-bench, below, adds bench/live-timing.md.)
bench: $(BUILD)/bench/nixcontainer-bench $(BUILD)/nixcontainer $(BUILD)/nixcontainer-memcheck \
       $(BUILD)/test-netns $(BUILD)/test-conformance live-bench
	$(BUILD)/bench/nixcontainer-bench --build $(BUILD) --rounds $(BENCH_ROUNDS) \
	    --suite-rounds $(BENCH_SUITE_ROUNDS) --nix-rounds $(BENCH_NIX_ROUNDS) \
	    --nixpkgs-lib "$(NIXPKGS_LIB)" --module "$(MODULE)" --out bench/RESULTS.md $(BENCH_ARGS)
# ---- end of the benchmark ---------------------------------------------------

# ---- live tier (harness/live/) ----------------------------------------------
# Each fixture of harness/live/fixtures.list booted with the real
# systemd-nspawn, from the ref's argv (nixcontainer-init as PID 1, the ref's
# host-setup) and from the module's own start script (its container-init and
# postStart), compared with golden/21.05/<fixture>/NAME.net. Needs root and
# systemd-nspawn (skips with the reason otherwise). `make bench` writes the
# start-to-READY and stop times to bench/live-timing.md;
# `make live-start-scripts` renders harness/live/start/ from the module.
# notify-send.c is not part of test-live: it is the program the containers'
# stage 2 runs to send READY=1 (notify-receive.c is the host's side).
LIVE_SRCS := $(filter-out harness/live/notify-send.c,$(sort $(wildcard harness/live/*.c)))
LIVE_OBJS := $(LIVE_SRCS:%.c=$(BUILD)/obj/%.o)
LIVE_BINS := $(BUILD)/live/test-live $(BUILD)/live/notify-send $(BUILD)/nixcontainer $(BUILD)/nixcontainer-init
LIVE_ARGS := --fixtures fixtures --golden golden/21.05 --list harness/live/fixtures.list \
             --start-scripts harness/live/start --nixcontainer $(BUILD)/nixcontainer \
             --init $(BUILD)/nixcontainer-init --notify $(BUILD)/live/notify-send

$(BUILD)/live/test-live: $(LIVE_OBJS) $(COMMON_TEST_OBJS) $(BUILD)/libnixcontainer.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(LIVE_OBJS) $(COMMON_TEST_OBJS) \
	    $(BUILD)/libnixcontainer.a $(TEST_LDLIBS)


# Runs inside the containers, whose tree need not hold its libraries: static,
# and never with the sanitizers (they do not link statically).
$(BUILD)/live/notify-send: harness/live/notify-send.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (static)"
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -static -o $@ $<

.PHONY: live live-bench live-start-scripts
live: $(LIVE_BINS)
	$(BUILD)/live/test-live $(LIVE_ARGS)

live-bench: $(LIVE_BINS)
	@mkdir -p bench
	$(BUILD)/live/test-live $(LIVE_ARGS) --repeat 3 --timing bench/live-timing.md

live-start-scripts:
	bash harness/live/render-start.sh --lib "$(NIXPKGS_LIB)" --module "$(MODULE)" \
	    --list harness/live/fixtures.list --fixtures fixtures --out harness/live/start
# ---- end of the live tier ---------------------------------------------------

# ---- make check ----------------------------------------------------------------
# Every tier, each once, CHECK_JOBS at a time (make -jN check: N at a time),
# the longest first. 3 on two cores: the live tier mostly waits for its
# containers, the memcheck parts and the rest keep both cores busy. Each
# tier's output goes to $(BUILD)/check/TIER.out and is shown whole when the
# tier ends (ci/run-part.sh); then every tier's closing line, in this order
# (ci/check-summary.sh; a tier whose last line is not "TIER: P passed,
# F failed, S skipped in T s" fails there). Everything is built first, on
# every core, so that no two tiers build the same file.
CHECK_TIERS := memcheck live netns releases export-test check-test faults init-test netns-kill cli-test conformance \
               install-test nix-test unit symbols docs
CHECK_JOBS  ?= 3
CHECK_BINS  := all $(BUILD)/test-unit $(BUILD)/test-conformance $(BUILD)/test-faults $(BUILD)/test-netns \
               $(BUILD)/release-diff $(BUILD)/check-oracle \
               $(MEMCHECK_BINS) $(LIVE_BINS)

check:
	@mkdir -p $(BUILD) && rm -rf $(BUILD)/check && mkdir $(BUILD)/check && date +%s%6N > $(BUILD)/check/started
	@$(MAKE) --no-print-directory $(call SUB_JOBS,$(NPROC)) $(CHECK_BINS)
	@rm -rf $(BUILD)/reports && mkdir -p $(BUILD)/reports
	@NC_REPORTS_DIR=$(abspath $(BUILD))/reports \
	    $(MAKE) --no-print-directory -k $(call SUB_JOBS,$(CHECK_JOBS)) $(CHECK_TIERS:%=check-%); \
	    bash ci/check-summary.sh $(BUILD)/check $$? $(CHECK_TIERS)

$(CHECK_TIERS:%=check-%): check-%:
	@bash ci/run-part.sh $(BUILD)/check $* $(MAKE) --no-print-directory $*
.PHONY: $(CHECK_TIERS:%=check-%)
# ---- end of make check ---------------------------------------------------------

# ---- nixcontainer check (harness/check/) --------------------------------------
# Runs `nixcontainer check` over fixtures/check/ (each case against its
# .expected), and over every fixture of every golden set (its predicted
# failing steps against the set's .net goldens); replays each predicted
# failure with the real `ip` in throwaway network namespaces (root).
$(BUILD)/check-oracle: $(BUILD)/obj/harness/check/check-oracle.o $(BUILD)/libnixcontainer.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: check-test
check-test: $(BUILD)/nixcontainer $(BUILD)/check-oracle
	bash harness/check/test-check.sh $(BUILD) $(GOLDEN_SETS)
