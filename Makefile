# Thin front for CMake (CMakeLists.txt is the build). Every target that needs
# a dependency runs scripts/install-deps first; it returns at once when
# nothing is missing.
#
#   make            build (build/)
#   make check      build, run every test; then the same under ASan+UBSan
#   make fuzz       libFuzzer campaign per decoder, FUZZ_SECONDS each
#   make demo       see README.md
#   make bench      figures of one mcxd (docs/bench.md)
#   make clean

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 300
BENCH_ARGS ?=
# The sanitizer build prefers clang: its fuzz drivers are then libFuzzer
# programs replaying the corpus; with gcc they use tests/fuzz/replay.c.
SAN_CC     ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo cc)
SAN_FUZZ   = $(if $(filter clang,$(notdir $(SAN_CC))),ON,OFF)

CMAKE_CFG = cmake -S . -B
CTEST     = ctest --test-dir

.PHONY: all build deps check check-plain check-asan fuzz demo bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@$(CMAKE_CFG) $(BUILD) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

check: deps
	@$(MAKE) --no-print-directory check-plain
	@$(MAKE) --no-print-directory check-asan
	@echo "make check: every test passed, plain and under ASan+UBSan"

check-plain: build
	@$(CTEST) $(BUILD) -j$(JOBS) --output-on-failure

check-asan: deps
	@CC=$(SAN_CC) $(CMAKE_CFG) $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
		-DMCX_SANITIZE=ON -DMCX_FUZZ=$(SAN_FUZZ) >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 $(CTEST) $(ASAN_BUILD) -j$(JOBS) --output-on-failure

fuzz: deps
	@CC=clang $(CMAKE_CFG) $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug \
		-DMCX_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

demo: build
	@scripts/demo --build $(BUILD)

# Figures of one mcxd (docs/bench.md): a Release build in build-bench;
# BENCH_ARGS go to mcxbench, e.g. BENCH_ARGS="--users 500 --json"
bench: deps
	@scripts/bench $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
