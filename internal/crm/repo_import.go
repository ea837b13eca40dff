package crm

// ImportRepo stores import jobs and the outcome of each of their rows; the import slice
// declares its methods here.
type ImportRepo interface {
}
