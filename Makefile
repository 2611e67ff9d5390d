# ConnectSite: every target installs what it needs on a fresh Debian machine with Swift.
#   make serve   build the site, start connect-server with the sandbox, print the URLs, rebuild on change
#   make test    install the system packages, build, run every test (nginx and Caddy run the
#                generated deploy configs: Tests/Deploy)
#   make golden  regenerate the golden files after a deliberate change (review the diff)
#   make screenshots  retake the connect page screenshots the guide shows
#   make bench   the peers side by side (hugo, nginx, caddy); rewrites BENCHMARKS.md
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev zlib1g-dev libsqlite3-dev pkg-config gzip curl chromium chromium-driver
# What only the tests use: promtool checks /metrics (Tests/Operations); nginx and Caddy run
# the generated deploy configs beside connect-server (Tests/Deploy).
TEST_APT_PACKAGES := prometheus nginx-light caddy
PORT ?= 8080

.PHONY: deps pydeps test golden serve site screenshots bench clean

deps:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Python tools for the tests: schemathesis fuzzes the sandbox against content/openapi.yaml;
# selenium drives Debian's chromium; selenium-axe-python brings axe-core 4.
PIP_PACKAGES := schemathesis selenium selenium-axe-python pytest
pydeps:
	@python3 -c "import schemathesis, selenium, selenium_axe_python, pytest" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES)

# Where the browser tests save their screenshots (320 and 1280 px, light and dark).
SCREENSHOTS ?= $(CURDIR)/Tests/Browser/screenshots

test: deps pydeps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(TEST_APT_PACKAGES)"
	swift build --build-tests
	swift test
	Tests/Contract/run-schemathesis.sh
	SCREENSHOTS=$(SCREENSHOTS) python3 -m pytest -q Tests/Browser Tests/Attack Tests/Operations Tests/Deploy

# Retakes the screenshots the hosted-connect-page guide shows, from the browser tests.
screenshots: deps pydeps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="pngquant"
	swift build
	SCREENSHOTS=$(SCREENSHOTS) python3 -m pytest -q Tests/Browser/test_accessibility.py
	cp $(SCREENSHOTS)/connect-form-1280-light.png content/images/connect/checklist-desktop-light.png
	cp $(SCREENSHOTS)/connect-checklist-320-dark.png content/images/connect/checklist-phone-dark.png
	cp $(SCREENSHOTS)/consent-320-light.png content/images/connect/sandbox-consent-phone.png
	cp $(SCREENSHOTS)/state-*.png content/images/connect/
	pngquant --force --skip-if-larger --quality 70-95 --strip --ext .png content/images/connect/*.png || true

golden: deps
	UPDATE_GOLDEN=1 swift test --filter GoldenTests
	git diff --stat -- Tests/SiteBuilderTests/Golden

site: deps
	swift run build-site

# Builds, serves with the sandbox, rebuilds on every change and reloads open pages.
serve: deps
	swift build --product connect-server
	swift build --product build-site
	swift run --skip-build build-site --serve --port $(PORT)

# Benchmarks against the peers; not part of make test. Installs the peers it needs.
BENCH_APT := hugo nginx-light caddy wrk hyperfine time
bench: deps pydeps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BENCH_APT)"
	swift build -c release --product build-site
	swift build -c release --product connect-server
	python3 Benchmarks/bench.py all

clean:
	rm -rf .build public/* public/.manifest.json
