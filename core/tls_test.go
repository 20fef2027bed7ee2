package core

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"rackflow/coresim"
	"rackflow/inventory"
)

// testPKI is a throwaway CA with a server certificate for 127.0.0.1 and a
// client certificate, written as PEM files.
type testPKI struct {
	dir           string
	pool          *x509.CertPool
	server        tls.Certificate
	ca, cert, key string
	caCert        *x509.Certificate
	caKey         *ecdsa.PrivateKey
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	p := &testPKI{dir: t.TempDir(), pool: x509.NewCertPool()}
	caDER, caKey := p.issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	})
	p.caCert, _ = x509.ParseCertificate(caDER)
	p.caKey = caKey
	p.pool.AddCert(p.caCert)
	p.ca = p.write(t, "ca.pem", "CERTIFICATE", caDER)
	srvDER, srvKey := p.issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "core"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	p.server = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
	cliDER, cliKey := p.issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "rackflow"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	p.cert = p.write(t, "client.pem", "CERTIFICATE", cliDER)
	keyDER, err := x509.MarshalECPrivateKey(cliKey)
	if err != nil {
		t.Fatal(err)
	}
	p.key = p.write(t, "client-key.pem", "EC PRIVATE KEY", keyDER)
	return p
}

// issue signs tmpl with the CA, or self-signs it when there is no CA yet.
func (p *testPKI) issue(t *testing.T, tmpl *x509.Certificate) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	parent, signer := tmpl, key
	if p.caCert != nil {
		parent, signer = p.caCert, p.caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

func (p *testPKI) write(t *testing.T, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDial_MutualTLS(t *testing.T) {
	pki := newTestPKI(t)
	creds := credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{pki.server}, ClientCAs: pki.pool,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12,
	})
	srv, err := coresim.New(&coresim.Manifest{Version: 1, Core: coresim.CoreConfig{BuildVersion: "tls"}}, nil, grpc.Creds(creds))
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	c, err := Dial(ctxT(t), Config{Addr: lis.Addr().String(), TLSCA: pki.ca, TLSCert: pki.cert, TLSKey: pki.key})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := c.Version(ctxT(t))
	if err != nil || v.BuildVersion != "tls" {
		t.Fatalf("Version over mutual TLS = %+v, %v", v, err)
	}
}

func TestDial_RequiresTLSFilesUnlessInsecure(t *testing.T) {
	_, err := Dial(ctxT(t), Config{Addr: "127.0.0.1:1"})
	if err == nil {
		t.Fatal("want an error without TLS files or Insecure")
	}
	if _, err := Dial(ctxT(t), Config{Addr: "127.0.0.1:1", TLSCA: "/nonexistent", TLSCert: "c", TLSKey: "k"}); err == nil {
		t.Fatal("want an error for a missing CA file")
	}
	if _, err := Dial(ctxT(t), Config{}); err == nil {
		t.Fatal("want an error without an address")
	}
	var _ inventory.Core = (*Client)(nil)
}
