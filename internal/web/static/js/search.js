// Front-end code of the search screens (Alpine components register on alpine:init).
