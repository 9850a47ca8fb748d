module icerpc-ts/yamux-interop

go 1.19

require github.com/hashicorp/yamux v0.0.0

// Debian's golang-github-hashicorp-yamux-dev package: the reference implementation, built offline.
replace github.com/hashicorp/yamux => /usr/share/gocode/src/github.com/hashicorp/yamux
