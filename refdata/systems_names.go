package refdata

// Names returns every name and alias the catalogue knows, in lower case,
// with the catalogue name of its system: the words a text names systems by
// (the text extractor reads them, issue 20).
func (c *Catalogue) Names() map[string]string {
	out := make(map[string]string, len(c.byName))
	for n, i := range c.byName {
		out[n] = c.Systems[i].Name
	}
	return out
}
