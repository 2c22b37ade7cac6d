"""Make the app icons of the cadre's PWA once (issue 16): src/zhucun/web/assets/icon-192.png,
icon-512.png and icon-maskable-512.png — a white 驻 on the system's red, drawn by Debian's
Chromium (Noto CJK) through Playwright. The PNGs are committed; run this again only to change
them:  python tools/make_icons.py  (needs the `browser` extra and /usr/bin/chromium)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "src" / "zhucun" / "web" / "assets"
RED = "#b3121b"


def page_html(size: int, *, maskable: bool) -> str:
    # a maskable icon keeps its mark inside the central 80 % circle (the "safe zone")
    glyph = int(size * (0.46 if maskable else 0.62))
    radius = 0 if maskable else int(size * 0.18)
    return f"""<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:{size}px;height:{size}px;background:{RED};border-radius:{radius}px;
display:flex;align-items:center;justify-content:center;color:#fff;
font:700 {glyph}px 'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif;line-height:1">驻</div>
</body></html>"""


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, size, maskable in (
            ("icon-192.png", 192, False),
            ("icon-512.png", 512, False),
            ("icon-maskable-512.png", 512, True),
        ):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_html(size, maskable=maskable))
            page.screenshot(path=str(OUT / name), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
