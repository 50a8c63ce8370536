//! Validating metadata XML with xmllint against the schemas in `../shared/reference/ndap/`:
//! Metadane 1.7 (`ndap:dokument` of the archives) and NES 2.0.
//!
//! NES 2.0 as published cannot be compiled by libxml2: its `Typ` is a choice between a group
//! for text (`klasa` "tekst", then `rodzaj`…) and a general group (any `klasa`, then `rodzaj`…,
//! repeatable), and both begin with `klasa`, which breaks XML Schema's Unique Particle
//! Attribution rule. The first group's documents are a subset of the second's, so validation
//! uses a copy in which `Typ` is the second group alone: the same documents are valid, and
//! every other element is as published. The published text it replaces must be there, so a
//! corrected schema is noticed.
//!
//! Both schemas import others from the web (xmldsig; ISO 639-2 and ISO 3166 code lists) and the
//! tests run offline, so an XML catalog points those imports at small stand-ins written here:
//! `Signature` as any element (never used), language codes as three small letters, country
//! codes as two capitals. Everything of the NDAP schemas themselves is checked as published.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ndap(name: &str) -> PathBuf {
    crate::shared().join("reference/ndap").join(name)
}

/// The schema to validate against: Metadane 1.7 as published; NES 2.0 with its
/// non-deterministic `Typ` replaced by the equivalent deterministic model (see above).
/// The schema `name` as validation uses it (see the module's note on NES 2.0).
pub fn schema(dir: &Path, name: &str) -> PathBuf {
    if name != "nes_20.xsd" {
        return ndap(name);
    }
    let text = std::fs::read_to_string(ndap(name))
        .unwrap()
        .replace("\r\n", "\n");
    let published = r#"    <xsd:choice>
        <xsd:group ref="ndap:TypA" minOccurs="1" maxOccurs="1"/>
        <xsd:group ref="ndap:TypB" minOccurs="1" maxOccurs="unbounded"/>
    </xsd:choice>"#;
    assert!(
        text.contains(published),
        "nes_20.xsd's Typ is not as published any more"
    );
    let deterministic = r#"    <xsd:sequence>
        <xsd:group ref="ndap:TypB" minOccurs="1" maxOccurs="unbounded"/>
    </xsd:sequence>"#;
    let path = dir.join(name);
    std::fs::write(&path, text.replace(published, deterministic)).unwrap();
    path
}

/// An XML catalog in `dir` that points the schemas' web imports at local stand-ins, for
/// `XML_CATALOG_FILES` (validation runs with `--nonet`).
pub fn catalog(dir: &Path) -> PathBuf {
    let stand_ins = [
        (
            "http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd",
            "xmldsig.xsd",
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/2000/09/xmldsig#" elementFormDefault="qualified">
  <xs:element name="Signature" type="xs:anyType"/>
</xs:schema>"#,
        ),
        (
            "http://ead.nb.admin.ch/web/standards/xmetadiss_13/iso639-2.xsd",
            "iso639-2.xsd",
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://lcweb.loc.gov/standards/iso639-2/">
  <xs:simpleType name="RegisteredCodeType"><xs:restriction base="xs:string"><xs:pattern value="[a-z]{3}"/></xs:restriction></xs:simpleType>
</xs:schema>"#,
        ),
        (
            "http://www.codesynthesis.com/projects/xsstl/xsstl/iso3166-country-code.xsd",
            "iso3166.xsd",
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.codesynthesis.com/xmlns/xsstl">
  <xs:simpleType name="ISO3166CountyCode"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}"/></xs:restriction></xs:simpleType>
</xs:schema>"#,
        ),
    ];
    let mut entries = String::new();
    for (url, file, text) in stand_ins {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        entries.push_str(&format!(
            "  <system systemId=\"{url}\" uri=\"file://{}\"/>\n  <uri name=\"{url}\" uri=\"file://{}\"/>\n",
            path.display(),
            path.display()
        ));
    }
    let catalog = dir.join("catalog.xml");
    std::fs::write(
        &catalog,
        format!(
            "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n{entries}</catalog>\n"
        ),
    )
    .unwrap();
    catalog
}

/// Validates `xml` against `schema` (`Metadane-1.7.xsd` or `nes_20.xsd`) with xmllint, in
/// `dir`; returns xmllint's complaint when it fails.
pub fn validate(dir: &Path, schema: &str, name: &str, xml: &str) -> Result<(), String> {
    let doc = dir.join(name);
    std::fs::write(&doc, xml).unwrap();
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", catalog(dir))
        .args(["--nonet", "--noout", "--schema"])
        .arg(self::schema(dir, schema))
        .arg(&doc)
        .output()
        .expect("xmllint runs (Debian libxml2-utils; scripts/setup.sh installs it)");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
