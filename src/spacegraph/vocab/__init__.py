"""The project's vocabulary as code, the lowest layer: every other layer reads its terms from here.

* ``spacegraph.vocab.namespaces``: the namespaces (``SG.Edition``, ``CONF.Workshop``, ``SDO.name``) and ``PREFIXES``;
  re-exported here, so ``from spacegraph.vocab import SG, PREFIXES`` works.
* ``spacegraph.vocab.terms``: the closed lists of the ontology as tables (roles, sides, sectors, attendance modes,
  edition kinds), each term with its key, IRI, English label and the names sources give it.
* ``spacegraph.vocab.sparql``: what every query is written with: the prefix header, the edition pattern, and
  ``fill``, the one way to put an IRI or a literal into a query.
* ``spacegraph.vocab.records``: the plain records that pass between layers (what a source says, an appearance).

The terms and their meaning are documented in ``ontology/spacegraph.ttl`` and ``ontology/README.md``;
``tests/test_vocabulary.py`` checks that the tables and the ontology agree.
"""

from spacegraph.vocab import namespaces
from spacegraph.vocab.namespaces import *  # noqa: F403 (the namespaces are the package's own names)

__all__ = namespaces.__all__
