"""Views of the surveys app: `staff` (the programme's survey pages, for its people) and `public`
(what respondents answer on their phones, without signing in)."""
