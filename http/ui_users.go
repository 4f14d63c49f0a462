package http

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// The users page (admins) and its forms, each posted to a route of its own
// (routes.go): add a user, disable or enable one.

type usersData struct {
	page
	Users []*coalition.User
	Roles []coalition.Role
	Done  string
}

func (s *server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, "", "")
}

func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, problem, done string) error {
	d := usersData{page: s.newPage("Users", "account"), Roles: coalition.Roles, Done: done}
	d.Problem = problem
	var err error
	if d.Users, err = s.store.FindUsers(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "users.html", d)
}

// usersAnswer shows the users page again after a form: with what was done,
// or with the problem and its status.
func (s *server) usersAnswer(w http.ResponseWriter, r *http.Request, done string, err error) error {
	if err != nil {
		return s.renderUsers(w, r, statusOf[coalition.ErrorKind(err)], coalition.ErrorMessage(err), "")
	}
	return s.renderUsers(w, r, http.StatusOK, "", done)
}

// usersCreate adds a user (POST /admin/users).
func (s *server) usersCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	u := &coalition.User{Email: f.Get("email"), Role: coalition.Role(f.Get("role")), Country: strings.ToUpper(strings.TrimSpace(f.Get("country")))}
	for _, c := range strings.Split(f.Get("coalitions"), ",") {
		if id, perr := strconv.ParseInt(strings.TrimSpace(c), 10, 64); perr == nil {
			u.Coalitions = append(u.Coalitions, id)
		}
	}
	err = s.store.CreateUser(r.Context(), u, f.Get("password"))
	return s.usersAnswer(w, r, "Created "+u.Email+".", err)
}

// usersDisable disables a user (POST /admin/users/{id}/disable).
func (s *server) usersDisable(w http.ResponseWriter, r *http.Request) error {
	return s.usersSetDisabled(w, r, true, "disabled")
}

// usersEnable enables a user (POST /admin/users/{id}/enable).
func (s *server) usersEnable(w http.ResponseWriter, r *http.Request) error {
	return s.usersSetDisabled(w, r, false, "enabled")
}

// usersSetDisabled disables or enables the user {id} at the version the
// form shows.
func (s *server) usersSetDisabled(w http.ResponseWriter, r *http.Request, dis bool, verb string) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	// An unreadable id or version is 0: the store answers not found or
	// conflict, as it did when both came in the form.
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	_, err = s.store.UpdateUser(r.Context(), id, coalition.UserUpdate{Version: version, Disabled: &dis})
	return s.usersAnswer(w, r, fmt.Sprintf("User %d %s.", id, verb), err)
}
