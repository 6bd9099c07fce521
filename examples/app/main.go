// Command stockd keeps the warehouse dashboard's stock figures fresh.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type product struct {
	ID    int64
	SKU   string
	Stock int
}

func main() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	// More connections than the server's max_connections share allows for this app.
	db.SetMaxOpenConns(200)
	db.SetMaxIdleConns(0)
	db.SetConnMaxLifetime(0)

	http.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) {
		ids, err := lowStockIDs(db)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		products, err := loadProducts(db, ids)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for _, p := range products {
			_, _ = w.Write([]byte(p.SKU + "\n"))
		}
	})
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// lowStockIDs is fine: one query, an indexed-friendly predicate, a bounded result.
func lowStockIDs(db *sql.DB) ([]int64, error) {
	rows, err := db.Query("SELECT id FROM products WHERE stock < $1 ORDER BY stock LIMIT 100", 10)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// loadProducts fetches each product on its own: N+1 round trips.
func loadProducts(db *sql.DB, ids []int64) ([]product, error) {
	products := make([]product, 0, len(ids))
	for _, id := range ids {
		var p product
		err := db.QueryRow("SELECT id, sku, stock FROM products WHERE id = $1", id).Scan(&p.ID, &p.SKU, &p.Stock)
		if err != nil {
			return nil, err
		}
		products = append(products, p)
	}
	return products, nil
}
