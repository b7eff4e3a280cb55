#!/usr/bin/env bash
# Debian packages the test suite needs: chromium for the browser tests,
# CJK fonts so screenshots and PDF exports show Chinese, gettext for the
# translation catalogue.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# (dpkg, not `fc-list | grep -q`: under pipefail grep's early exit fails the pipe)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# 楷体 for the PDF report's second-level headings (fonts-noto-cjk has no Kai face)
dpkg -s fonts-arphic-ukai >/dev/null 2>&1 || need+=(fonts-arphic-ukai)
# Emoji in citizens' text (tests type some) render as glyphs, not boxes
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${need[*]} (Debian packages)" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
