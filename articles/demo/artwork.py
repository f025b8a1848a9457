"""Abstract hero illustrations drawn with Pillow, so the demo needs no downloads.

Each picture is a sky-to-sea gradient with a sun, soft circles and layered
waves, in the section's colours. The same seed always draws the same picture.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageColor, ImageDraw

HERO_SIZE = (1600, 900)


def _mix(first: tuple[int, int, int], second: tuple[int, int, int], amount: float):
    return tuple(round(a + (b - a) * amount) for a, b in zip(first, second, strict=True))


def hero_artwork(*, seed: str, palette: tuple[str, str, str], size=HERO_SIZE) -> bytes:
    """A JPEG illustration for the article with this ``seed`` (its slug)."""
    rng = random.Random(seed)
    width, height = size
    sky, sea, accent = (ImageColor.getrgb(colour)[:3] for colour in palette)

    gradient = Image.linear_gradient("L").resize(size)
    picture = Image.composite(
        Image.new("RGB", size, _mix(sky, sea, 0.35)), Image.new("RGB", size, sky), gradient
    ).convert("RGBA")

    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    for _ in range(rng.randint(5, 9)):
        radius = rng.randint(height // 12, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height // 2)
        tint = _mix(sky, accent, rng.uniform(0.1, 0.5))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*tint, 70))
    sun_radius = rng.randint(height // 10, height // 6)
    sun_x, sun_y = rng.randint(width // 5, 4 * width // 5), rng.randint(height // 6, height // 3)
    draw.ellipse(
        (sun_x - sun_radius, sun_y - sun_radius, sun_x + sun_radius, sun_y + sun_radius),
        fill=(*accent, 235),
    )
    picture = Image.alpha_composite(picture, shapes)

    waves = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(waves)
    for layer in range(5):
        baseline = height * (0.5 + layer * 0.1)
        amplitude = rng.uniform(8, 30)
        frequency = rng.uniform(1.2, 3.5) * 2 * math.pi / width
        phase = rng.uniform(0, 2 * math.pi)
        outline = [
            (x, baseline + amplitude * math.sin(frequency * x + phase))
            for x in range(0, width + 40, 40)
        ]
        colour = _mix(sea, (8, 16, 32), layer * 0.14)
        draw.polygon([*outline, (width, height), (0, height)], fill=(*colour, 225))
    picture = Image.alpha_composite(picture, waves).convert("RGB")

    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=86, optimize=True)
    return buffer.getvalue()
