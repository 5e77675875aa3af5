"""Planning the next edition of a dialogue series: what has been covered (coverage), what balance there was
(balance), whom to invite and why (candidates), a draft programme (programme), and the programme saved as a
proposal in a named graph of its own (proposal). Pure functions of a ``History``, read from the store once."""
