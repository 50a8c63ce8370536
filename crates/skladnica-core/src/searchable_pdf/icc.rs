//! An sRGB ICC profile (version 2, display class) for the PDF/A output intent.
//!
//! PDF/A requires device colours (the scans' DeviceGray and DeviceRGB) to be tied to an output
//! intent carrying an ICC profile. The profile is built from the published sRGB facts (IEC
//! 61966-2-1): the D50-adapted primaries, the D65 white point and the sRGB transfer curve as a
//! 1024-entry table.

/// The profile's description, also the output condition named in the PDF.
pub const DESCRIPTION: &str = "sRGB IEC61966-2.1";

/// The ICC profile bytes.
pub fn srgb() -> Vec<u8> {
    let xyz = |x: f64, y: f64, z: f64| {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for v in [x, y, z] {
            t.extend(s15f16(v).to_be_bytes());
        }
        t
    };
    let mut desc = b"desc\0\0\0\0".to_vec();
    desc.extend((DESCRIPTION.len() as u32 + 1).to_be_bytes());
    desc.extend(DESCRIPTION.as_bytes());
    desc.push(0);
    desc.extend([0u8; 8]); // no Unicode description (language, count)
    desc.extend([0u8; 3]); // no ScriptCode description (code, count)
    desc.extend([0u8; 67]);
    let mut cprt = b"text\0\0\0\0".to_vec();
    cprt.extend(b"No copyright, use freely\0");
    let mut trc = b"curv\0\0\0\0".to_vec();
    let n = 1024u32;
    trc.extend(n.to_be_bytes());
    for i in 0..n {
        let v = i as f64 / (n - 1) as f64;
        let linear = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        trc.extend(((linear * 65535.0).round() as u16).to_be_bytes());
    }
    // Tags and their data; the three curves share one copy.
    let tags: [(&[u8; 4], usize); 9] = [
        (b"desc", 0),
        (b"cprt", 1),
        (b"wtpt", 2),
        (b"rXYZ", 3),
        (b"gXYZ", 4),
        (b"bXYZ", 5),
        (b"rTRC", 6),
        (b"gTRC", 6),
        (b"bTRC", 6),
    ];
    let data = [
        desc,
        cprt,
        xyz(0.9505, 1.0, 1.089),
        xyz(0.4361, 0.2225, 0.0139),
        xyz(0.3851, 0.7169, 0.0971),
        xyz(0.1431, 0.0606, 0.7141),
        trc,
    ];
    let mut offsets = Vec::new();
    let mut body = Vec::new();
    let start = 128 + 4 + 12 * tags.len();
    for d in &data {
        offsets.push(start + body.len());
        body.extend(d);
        body.resize(body.len().div_ceil(4) * 4, 0);
    }
    let size = start + body.len();
    let mut out = Vec::with_capacity(size);
    out.extend((size as u32).to_be_bytes());
    out.extend([0u8; 4]); // preferred CMM
    out.extend(0x0210_0000u32.to_be_bytes()); // version 2.1
    out.extend(b"mntrRGB XYZ ");
    out.extend(
        [2000u16, 1, 1, 0, 0, 0]
            .iter()
            .flat_map(|v| v.to_be_bytes()),
    );
    out.extend(b"acsp");
    out.extend([0u8; 4 + 4 + 4 + 4 + 8 + 4]); // platform, flags, maker, model, attributes, intent
    for v in [0.9642, 1.0, 0.8249] {
        out.extend(s15f16(v).to_be_bytes()); // the PCS illuminant, D50
    }
    out.extend([0u8; 4 + 16 + 28]); // creator, profile id, reserved
    out.extend((tags.len() as u32).to_be_bytes());
    for (sig, i) in tags {
        out.extend(sig);
        out.extend((offsets[i] as u32).to_be_bytes());
        out.extend((data[i].len() as u32).to_be_bytes());
    }
    out.extend(body);
    debug_assert_eq!(out.len(), size);
    out
}

fn s15f16(v: f64) -> i32 {
    (v * 65536.0).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_well_formed() {
        let p = srgb();
        assert_eq!(
            u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize,
            p.len()
        );
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        let count = u32::from_be_bytes(p[128..132].try_into().unwrap()) as usize;
        for i in 0..count {
            let e = &p[132 + 12 * i..144 + 12 * i];
            let off = u32::from_be_bytes(e[4..8].try_into().unwrap()) as usize;
            let len = u32::from_be_bytes(e[8..12].try_into().unwrap()) as usize;
            assert!(off.is_multiple_of(4) && off + len <= p.len());
        }
    }
}
