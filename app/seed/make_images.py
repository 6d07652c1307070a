"""Generate the placeholder PNGs of the demo catalog into app/static/images.

Run `uv run python -m app.seed.make_images` after changing IMAGES in app/seed/catalog.py. Each
file is a plain colour with its name as a label; the output is deterministic.
"""

import hashlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.seed.catalog import IMAGES

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "images"

# (file name test, size) in the order tried; products and details are the default.
SIZES = [
    (lambda name: name.startswith("banner-"), (750, 300)),
    (lambda name: name.startswith("category-"), (200, 200)),
    (lambda name: name.endswith("@theme-head.png"), (750, 300)),
    (lambda name: name.endswith("@theme.png"), (750, 400)),
]
DEFAULT_SIZE = (400, 400)


def size_for(name: str) -> tuple[int, int]:
    return next((size for test, size in SIZES if test(name)), DEFAULT_SIZE)


def colour_for(name: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    # Mid-tone colours so that the white label stays readable.
    return tuple(60 + byte % 140 for byte in digest[:3])


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType support for sized default fonts
        return ImageFont.load_default()


def render(name: str) -> Image.Image:
    width, height = size_for(name)
    image = Image.new("RGB", (width, height), colour_for(name))
    draw = ImageDraw.Draw(image)
    label = name.removesuffix(".png")
    font = _font(max(14, min(width // max(len(label), 1) * 3 // 2, height // 5)))
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    position = ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top)
    draw.text(position, label, fill=(255, 255, 255), font=font)
    return image


def main() -> list[Path]:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    for path in IMAGES.values():
        name = path.lstrip("/")
        target = OUTPUT / name
        render(name).save(target, format="PNG", optimize=True)
        written.append(target)
    return written


if __name__ == "__main__":
    files = main()
    print(f"wrote {len(files)} images to {OUTPUT}")
