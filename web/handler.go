package web

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Cache-Control values: Vite names every file under assets/ by a hash of its content, so a
// browser keeps it for a year; index.html names the current assets and is checked every time.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// Handler serves the workbench in dist: its files as they are, and index.html for any other
// path (the app's router reads the URL: /queue, /cases/WS-PET-2026-000001). A missing file
// under assets/ is a 404, not the app, so a stale page asking for an old chunk fails plainly.
// When dist has no index.html (a Go-only build), every page says how to build the workbench.
func Handler(dist fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name != "" && name != "index.html" && serveFile(w, r, dist, name) {
			return
		}
		if strings.HasPrefix(name, "assets/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", cacheRevalidate)
		if !serveFile(w, r, dist, "index.html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, notBuilt)
		}
	})
}

// serveFile serves the regular file name of dist, reporting false when there is none.
func serveFile(w http.ResponseWriter, r *http.Request, dist fs.FS, name string) bool {
	f, err := dist.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return false
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", cacheImmutable)
	} else if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", cacheRevalidate)
	}
	// Embedded files have no modification time; the Cache-Control above is what matters.
	http.ServeContent(w, r, name, time.Time{}, rs)
	return true
}

// notBuilt is the page of a binary built without the workbench.
const notBuilt = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>OneDoor</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.6">
<h1>工作台尚未构建</h1>
<p>这个 onedoor 程序构建时没有包含网页工作台。请在源码目录运行 <code>make web</code>（需要 Node.js 20），再运行 <code>make build</code> 或 <code>make run</code>。</p>
<h2>The workbench is not built</h2>
<p>This onedoor binary was built without the web workbench. Run <code>make web</code> in the source
folder (it needs Node.js 20), then <code>make build</code> or <code>make run</code>.</p>
<p>The API works: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>, <a href="/healthz">/healthz</a>.</p>
</body></html>
`
