package postgres

import (
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestUUIDArg_CanonicalFormGoesBinaryAnythingElseAsText(t *testing.T) {
	want := pgtype.UUID{Valid: true, Bytes: [16]byte{0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0}}
	for _, s := range []string{"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"} {
		if got := uuidArg(s); got != want {
			t.Errorf("uuidArg(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg", "0f1e2d3c-4b5a-6978-8796_a5b4c3d2e1f0", "rack-1"} {
		if got := uuidArg(s); got != s {
			t.Errorf("uuidArg(%q) = %v, want the text itself for the server to judge", s, got)
		}
	}
	if got := uuidPtrArg(nil); got != nil {
		t.Errorf("uuidPtrArg(nil) = %v, want nil (NULL)", got)
	}
}
