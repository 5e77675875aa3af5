"""The pages, one module per kind, each built as one plain dict (the page's JSON twin) that ``web.render`` answers
as HTML, JSON or RDF.

* An entity IRI's page: ``entity`` finds its kind and calls that kind's ``describe(reader, iri, page)`` from its
  registry ``DESCRIBERS`` (person, edition, organisation, topic, series); ``statements`` adds every statement with
  its source. Add a kind of entity page: a module here and one line in ``entity.DESCRIBERS``.
* The other pages: ``home``, ``search``, ``side`` (sides and countries), ``path``, ``plan``, ``network``.
* Shared: ``reader`` (the store of one data version, queried with IRIs filled in safely) and ``cells`` (sections
  and the cells they are made of).
"""
