"""The picture files in data/ are exactly what tools/make_sample_digits.py draws."""

import make_sample_digits
from project import DATA


def test_committed_sample_digits_match_a_fresh_drawing_byte_for_byte(tmp_path, capsys):
    make_sample_digits.main(["--out", str(tmp_path)])
    drawn = sorted(path.name for path in tmp_path.iterdir())
    committed = sorted(path.name for path in DATA.glob("digit-*"))
    assert drawn == committed
    differ = [n for n in drawn if (tmp_path / n).read_bytes() != (DATA / n).read_bytes()]
    assert not differ, (
        f"data/ differs from what tools/make_sample_digits.py draws for {differ}; "
        "run python tools/make_sample_digits.py and commit the result"
    )
