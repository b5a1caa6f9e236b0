package assets

import _ "embed"

// NodesJSON is the bundled list of public Tox bootstrap nodes, in the
// nodes.tox.chat format (read with parley/net/nodes.ParseJSON). It is the
// last resort after the user's own list and the cache of last-good nodes.
//
//go:embed nodes.json
var NodesJSON []byte
