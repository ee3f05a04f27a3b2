"""How figures are shown: one rounding rule, numbers and dates in the reader's language, and
one palette for every chart (pages, the PDF report). No models; every app may use it."""
