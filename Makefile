# ConnectSite: every target installs what it needs on a fresh Debian machine with Swift.
#   make serve   build the site, start connect-server with the sandbox, print the URLs
#   make test    install the system packages, build, run every test
#   make golden  regenerate the golden files after a deliberate change (review the diff)
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev zlib1g-dev libsqlite3-dev pkg-config gzip curl
PORT ?= 8080

.PHONY: deps pydeps test golden serve site clean

deps:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Python tools for the tests: schemathesis fuzzes the sandbox against content/openapi.yaml.
PIP_PACKAGES := schemathesis
pydeps:
	@python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES)

test: deps pydeps
	swift build --build-tests
	swift test
	Tests/Contract/run-schemathesis.sh

golden: deps
	UPDATE_GOLDEN=1 swift test --filter GoldenTests
	git diff --stat -- Tests/SiteBuilderTests/Golden

site: deps
	swift run build-site

serve: site
	swift build --product connect-server
	swift run connect-server --port $(PORT)

clean:
	rm -rf .build public/* public/.manifest.json
