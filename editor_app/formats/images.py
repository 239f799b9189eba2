"""Pictures from files: profile photos cropped to a square, checked before they are kept."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from editor_app.domain.errors import InvalidInput

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000


def square_avatar(data: bytes, size: int = 512) -> tuple[bytes, str]:
    """Centre-crop to a square and scale to `size`; JPEG for photos, PNG where there is alpha."""
    if not data:
        raise InvalidInput("the picture file is empty")
    if len(data) > MAX_BYTES:
        raise InvalidInput("the picture is larger than 25 MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.width * opened.height > MAX_PIXELS:
                raise InvalidInput("the picture has too many pixels")
            opened.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("not a picture Copydesk can read (use JPEG, PNG, GIF or WebP)") from None
    except OSError as exc:
        raise InvalidInput(f"the picture is damaged: {exc}") from None
    img: Image.Image = opened
    side = min(img.width, img.height)
    left = (img.width - side) // 2
    top = (img.height - side) // 2
    img = img.crop((left, top, left + side, top + side))
    if side > size:
        img = img.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if img.mode in ("RGBA", "LA", "P"):
        img.convert("RGBA").save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    img.convert("RGB").save(out, format="JPEG", quality=88)
    return out.getvalue(), "image/jpeg"
