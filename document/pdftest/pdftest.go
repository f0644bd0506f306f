// Package pdftest reads back the PDFs package document writes, for tests: their text and the
// QR code drawn on their first page.
package pdftest

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Text extracts a PDF's text, its lines joined so that a wrapped sentence reads whole, and
// counts its pages.
func Text(b []byte) (string, int, error) {
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", 0, err
	}
	var text strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		s, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			return "", 0, err
		}
		text.WriteString(strings.ReplaceAll(s, "\n", ""))
	}
	return text.String(), r.NumPage(), nil
}

// QR finds the QR code drawn on the first page as filled squares (the page's only rectangles),
// rasterizes it and decodes it.
func QR(b []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", err
	}
	rects := r.Page(1).Content().Rect
	if len(rects) == 0 {
		return "", errors.New("no QR code on the first page")
	}
	minX, minY, maxX, maxY := rects[0].Min.X, rects[0].Min.Y, rects[0].Max.X, rects[0].Max.Y
	for _, q := range rects {
		minX, minY, maxX, maxY = min(minX, q.Min.X), min(minY, q.Min.Y), max(maxX, q.Max.X), max(maxY, q.Max.Y)
	}
	const scale, quiet = 4.0, 16
	w, h := int((maxX-minX)*scale)+2*quiet, int((maxY-minY)*scale)+2*quiet
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, q := range rects {
		x0, x1 := quiet+int((q.Min.X-minX)*scale+0.5), quiet+int((q.Max.X-minX)*scale+0.5)
		// PDF's y grows upwards.
		y0, y1 := quiet+int((maxY-q.Max.Y)*scale+0.5), quiet+int((maxY-q.Min.Y)*scale+0.5)
		draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{C: color.Black}, image.Point{}, draw.Src)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
