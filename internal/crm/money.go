package crm

// Money is an amount in minor units (kopecks) with its ISO 4217 currency. Never a float.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// BaseCurrency is the currency amounts are kept in unless a record says otherwise.
const BaseCurrency = "RUB"
