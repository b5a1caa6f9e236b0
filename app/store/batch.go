package store

import "fmt"

// AddBatch stores ms in one transaction and returns them with their IDs
// set: an import, or the filling of a large history for a benchmark.
func (s *Store) AddBatch(ms []Message) ([]Message, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, fmt.Errorf("store: add batch: %w", err)
	}
	stmt, err := tx.Prepare(`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES(?,?,?,?,?,?)`)
	if err != nil {
		return nil, fmt.Errorf("store: add batch: %w", rollback(tx.Rollback, err))
	}
	defer stmt.Close()
	out := make([]Message, len(ms))
	for i, m := range ms {
		res, err := stmt.Exec(m.Friend.String(), boolInt(m.Outgoing), boolInt(m.Action), m.Text, m.Time.UnixMilli(), int(m.State))
		if err != nil {
			return nil, fmt.Errorf("store: add batch: %w", rollback(tx.Rollback, err))
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return nil, fmt.Errorf("store: add batch: %w", rollback(tx.Rollback, err))
		}
		out[i] = m
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: add batch: %w", err)
	}
	return out, nil
}

// rollback undoes a transaction after err and returns err (joined with a
// failure of the rollback itself).
func rollback(undo func() error, err error) error {
	if rerr := undo(); rerr != nil {
		return fmt.Errorf("%w (rollback: %v)", err, rerr)
	}
	return err
}
