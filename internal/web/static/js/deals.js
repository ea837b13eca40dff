// Front-end code of the deals screens (Alpine components register on alpine:init).
