package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"rackflow/inventory"
)

// heldView is the data of the held-deletes page.
type heldView struct {
	Total          int
	Rows           []heldRow
	Next           string
	ReleaseEnabled bool
}

type heldRow struct {
	Type, EntityID, Link, Since, Age, CycleID, CycleShort string
}

func (h *handler) held(w http.ResponseWriter, r *http.Request) {
	l, err := h.cfg.Reader.HeldDeletes(r.Context(), inventory.HeldDeleteQuery{Page: inventory.Page{Limit: pageSize, Cursor: r.FormValue("cursor")}})
	if err != nil {
		h.fail(w, r, "held deletes", err)
		return
	}
	now := h.cfg.Now()
	v := heldView{Total: l.Total, ReleaseEnabled: h.releaseEnabled()}
	for _, d := range l.Items {
		v.Rows = append(v.Rows, newHeldRow(d, now))
	}
	if l.NextCursor != "" {
		v.Next = "/held?" + url.Values{"cursor": {l.NextCursor}}.Encode()
	}
	h.render(w, r, http.StatusOK, "held", "held", "Held deletes", v)
}

func newHeldRow(d inventory.HeldDelete, now time.Time) heldRow {
	row := heldRow{Type: d.Type, EntityID: d.EntityID, Since: timestamp(d.HeldSince), Age: age(now.Sub(d.HeldSince)),
		CycleID: d.CycleID, CycleShort: shortID(d.CycleID), Link: "/components/" + d.EntityID}
	if d.Type == "rack" {
		row.Link = "/racks/" + d.EntityID
	}
	return row
}

func (h *handler) releaseEnabled() bool { return h.cfg.Token != "" && h.cfg.Releaser != nil }

// releaseView is the result of a release request.
type releaseView struct {
	OK      bool
	Message string
}

// maxFormBytes bounds the release form's body: a token and nothing else.
const maxFormBytes = 4 << 10

// release asks for a cycle that applies the held deletes. The form must carry
// the write token: a page on another site cannot know it, so the token is
// also the proof against cross-site requests (which the cross-origin check
// in front of this handler refuses anyway).
func (h *handler) release(w http.ResponseWriter, r *http.Request) {
	if !h.releaseEnabled() {
		h.renderRelease(w, r, http.StatusForbidden, false, "Releases are disabled: the server has no write token (RACKFLOW_API_TOKEN).")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.renderRelease(w, r, http.StatusBadRequest, false, "The form could not be read.")
		return
	}
	if !h.tokenMatches(r.PostForm.Get("token")) {
		h.log.Warn("dashboard release refused: wrong token", "remote", r.RemoteAddr)
		h.renderRelease(w, r, http.StatusForbidden, false, "The token is wrong; nothing was released.")
		return
	}
	if err := h.cfg.Releaser.Trigger(true); err != nil {
		h.log.Warn("dashboard release not accepted", "error", err)
		status, msg := http.StatusServiceUnavailable, "The release was not accepted; the server log says why."
		if errors.Is(err, inventory.ErrConflict) {
			status, msg = http.StatusConflict, err.Error()
		}
		h.renderRelease(w, r, status, false, msg)
		return
	}
	h.log.Info("dashboard release accepted", "remote", r.RemoteAddr)
	h.renderRelease(w, r, http.StatusAccepted, true,
		"Release accepted: the next cycle starts now and applies the held deletes, once. Its result appears under Cycles.")
}

func (h *handler) renderRelease(w http.ResponseWriter, r *http.Request, status int, ok bool, msg string) {
	h.render(w, r, status, "release", "held", "Release held deletes", releaseView{OK: ok, Message: msg})
}
