package importers

import (
	"fmt"

	"keyshelf/vault/dotenv"
)

// FromEnv reads a .env file: every variable becomes a candidate named after
// it, ticked when it is a key (Classify). The warnings are dotenv's: lines
// passed over and names given twice.
func FromEnv(data []byte) ([]Candidate, []dotenv.Warning, error) {
	vars, warns, err := dotenv.Parse(data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Candidate, 0, len(vars))
	for _, v := range vars {
		if v.Value == "" {
			continue
		}
		key, id, why := Classify(v.Name, v.Value)
		out = append(out, Candidate{
			Name: v.Name, Secret: v.Value, Provider: id, EnvName: v.Name,
			Source: fmt.Sprintf("line %d", v.Line), Key: key, Why: why,
		})
	}
	return out, warns, nil
}
