from decimal import Decimal

from django.template.loader import render_to_string


def test_answer_bars_get_their_width_from_a_class_not_a_style_attribute():
    html = render_to_string(
        "surveys/_distribution.html",
        {
            "distribution": [
                (1, 0, Decimal("0.0")),
                (4, 2, Decimal("33.3")),
                (5, 4, Decimal("66.7")),
            ]
        },
    )
    assert 'class="v4 pct-33"' in html
    assert 'class="v5 pct-67"' in html
    assert 'class="v1' not in html  # empty answers draw no segment
    assert "style=" not in html
