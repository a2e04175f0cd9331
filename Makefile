# Two commands set up everything on a machine with Python 3.11 and make:
#   make demo       renders every sample into out/
#   make test       runs the whole test suite
#   make test-fast  runs the fast core alone (no LibreOffice, browser, package build, web layer, Excel)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast templates images web-images clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m docgen.demo samples out

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

templates: $(STAMP)
	$(BIN)/python -m docgen.build_templates

clean:
	rm -rf out .pytest_cache

images: $(STAMP)
	$(BIN)/python -m docgen.images

# The web page's pictures in the README and the staff guide (docs/img/web.png, docs/img/trang-web/), taken by the
# browser tests that follow the guide on the real page.
web-images: $(STAMP)
	UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/test_web_browser.py -k "screenshot or staff_guide"
