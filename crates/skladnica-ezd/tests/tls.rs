//! TLS: a server whose certificate does not match the address, or that no trusted CA signed, is
//! refused before anything is sent, with the reason; a county's own CA given as a file makes its
//! certificate trusted. The server is `openssl s_server` with a certificate made for the test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use skladnica_ezd::{Client, Config, Error};

/// A test CA and a server certificate it signed for `name` (as its CN and only SAN), in `dir`:
/// (the CA's certificate, the server's certificate, the server's key).
fn certificate(dir: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let f = |x: &str| dir.join(format!("{name}.{x}"));
    let openssl = |args: &[&std::ffi::OsStr]| {
        let ok = Command::new("openssl")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(ok.success(), "openssl {args:?}");
    };
    let o = |s: &str| std::ffi::OsString::from(s);
    let p = |p: &Path| p.as_os_str().to_owned();
    openssl(&[
        &o("req"),
        &o("-x509"),
        &o("-newkey"),
        &o("rsa:2048"),
        &o("-nodes"),
        &o("-days"),
        &o("2"),
        &o("-subj"),
        &o("/CN=Testowe CA powiatu"),
        &o("-keyout"),
        &p(&f("ca.key")),
        &o("-out"),
        &p(&f("ca.pem")),
    ]);
    openssl(&[
        &o("req"),
        &o("-newkey"),
        &o("rsa:2048"),
        &o("-nodes"),
        &o("-subj"),
        &o(&format!("/CN={name}")),
        &o("-keyout"),
        &p(&f("key")),
        &o("-out"),
        &p(&f("csr")),
    ]);
    std::fs::write(
        f("ext"),
        format!("subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n"),
    )
    .unwrap();
    openssl(&[
        &o("x509"),
        &o("-req"),
        &o("-in"),
        &p(&f("csr")),
        &o("-CA"),
        &p(&f("ca.pem")),
        &o("-CAkey"),
        &p(&f("ca.key")),
        &o("-CAcreateserial"),
        &o("-days"),
        &o("2"),
        &o("-extfile"),
        &p(&f("ext")),
        &o("-out"),
        &p(&f("pem")),
    ]);
    (f("ca.pem"), f("pem"), f("key"))
}

/// `openssl s_server` with `cert` on a free port; its port.
fn server(cert: &Path, key: &Path) -> (Child, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(port.to_string())
        .arg("-cert")
        .arg(cert)
        .arg("-key")
        .arg(key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server starts");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

fn config(url: &str, ca: Option<&Path>) -> Config {
    Config {
        api_url: url.into(),
        sso_url: url.into(),
        pid: "p".into(),
        aki: "a".into(),
        sid: "s".into(),
        api_key: "tajny-klucz-tls".into(),
        ca_file: ca.map(Path::to_path_buf),
        timeout: Duration::from_secs(5),
    }
}

#[test]
fn a_certificate_that_does_not_match_or_is_not_trusted_is_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificate(dir.path(), "ezd.powiat.example");
    let (mut s, port) = server(&cert, &key);
    let url = format!("https://localhost:{port}");

    // Not signed by any trusted CA.
    let e = Client::new(config(&url, None))
        .unwrap()
        .find_flows("x")
        .unwrap_err();
    assert!(
        matches!(&e, Error::Unreachable(m) if m.contains("TLS")),
        "{e:?}"
    );
    // Signed by the CA given as a file, but made for another name than the address's.
    let e = Client::new(config(&url, Some(&ca)))
        .unwrap()
        .find_flows("x")
        .unwrap_err();
    assert!(
        matches!(&e, Error::Unreachable(m) if m.contains("TLS")),
        "{e:?}"
    );
    assert!(!e.to_string().contains("tajny"), "{e}");
    let _ = s.kill();
    let _ = s.wait();

    // Made for the address and trusted through the CA file: the TLS connection is made (the
    // server then answers something that is no token, which is refused as such).
    let (ca, cert, key) = certificate(dir.path(), "localhost");
    let (mut s, port) = server(&cert, &key);
    let url = format!("https://localhost:{port}");
    let e = Client::new(config(&url, Some(&ca)))
        .unwrap()
        .find_flows("x")
        .unwrap_err();
    assert!(!matches!(&e, Error::Unreachable(_)), "{e:?}");
    let _ = s.kill();
    let _ = s.wait();

    // A CA file that holds no certificate is a settings error, named.
    let bad = dir.path().join("pusty.pem");
    std::fs::write(&bad, "nie certyfikat").unwrap();
    let e = Client::new(config(&url, Some(&bad))).unwrap_err();
    assert!(
        matches!(&e, Error::Config(m) if m.contains("pusty.pem")),
        "{e:?}"
    );
}
