//! Page images of scanned files as PDF image XObjects, without re-compression where PDF can carry
//! the file's own coding: JPEG data as it is (`DCTDecode`), a PNG's compressed rows with their
//! predictors (`FlateDecode`, palette as `Indexed`), a single-strip CCITT G4 TIFF page as it is
//! (`CCITTFaxDecode`). Anything else (interlaced or transparent PNG, LZW or multi-strip TIFF) is
//! decoded and stored losslessly with Flate: the same pixels, a different container.

use std::io::{Cursor, Write};

use lopdf::{Dictionary, Object, Stream, dictionary};

/// One page image ready to be placed.
pub struct PdfImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Pixels per inch, when the file says (and it is believable).
    pub dpi: Option<u32>,
    /// The image XObject.
    pub xobject: Stream,
}

/// The page images of an image file.
pub fn pages(media_type: &str, bytes: &[u8]) -> Result<Vec<PdfImage>, String> {
    match media_type {
        "image/jpeg" => Ok(vec![jpeg(bytes)?]),
        "image/png" => Ok(vec![png(bytes)?]),
        "image/tiff" => tiff_pages(bytes),
        other => Err(format!("{other} files have no page images")),
    }
}

fn image_dict(width: u32, height: u32, colour_space: Object, bits: u8) -> Dictionary {
    dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => width as i64,
        "Height" => height as i64,
        "ColorSpace" => colour_space,
        "BitsPerComponent" => bits as i64,
    }
}

/// Refuses to decode a page over the memory cap (JPEG and G4 pages are never decoded here).
fn decodable(width: u32, height: u32, page: usize) -> Result<(), String> {
    let cap = crate::ingest::Limits::default().max_decode_pixels;
    if width as u64 * height as u64 > cap {
        return Err(format!(
            "page {page} is {width}×{height} pixels, more than is decoded at once ({} \
             megapixels) to be converted; its original stays in the library",
            cap / 1_000_000
        ));
    }
    Ok(())
}

fn believable(dpi: Option<u32>) -> Option<u32> {
    dpi.filter(|d| (50..=4800).contains(d))
}

fn jpeg(bytes: &[u8]) -> Result<PdfImage, String> {
    let info = crate::ingest::image::jpeg(bytes).map_err(|r| r.to_string())?;
    let mut dict = image_dict(
        info.width,
        info.height,
        match info.components {
            1 => "DeviceGray",
            3 => "DeviceRGB",
            4 => "DeviceCMYK",
            n => return Err(format!("JPEG with {n} colour components")),
        }
        .into(),
        8,
    );
    if info.components == 4 && info.adobe {
        // Adobe writes CMYK JPEGs inverted.
        dict.set(
            "Decode",
            [1, 0, 1, 0, 1, 0, 1, 0].map(Object::from).to_vec(),
        );
    }
    dict.set("Filter", "DCTDecode");
    Ok(PdfImage {
        width: info.width,
        height: info.height,
        dpi: believable(info.dpi),
        xobject: Stream::new(dict, bytes.to_vec()).with_compression(false),
    })
}

fn png(bytes: &[u8]) -> Result<PdfImage, String> {
    let info = crate::ingest::image::png(bytes).map_err(|r| r.to_string())?;
    let chunk = |kind: &[u8; 4]| info.chunks.iter().find(|(k, _)| k == kind).map(|(_, d)| *d);
    let ihdr = chunk(b"IHDR")
        .filter(|d| d.len() >= 13)
        .ok_or("PNG without IHDR")?;
    let (depth, colour, interlace) = (ihdr[8], ihdr[9], ihdr[12]);
    let dpi = chunk(b"pHYs")
        .filter(|d| d.len() >= 9 && d[8] == 1)
        .map(|d| {
            let per_metre = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
            (per_metre as f64 * 0.0254).round() as u32
        });
    let (width, height) = (info.width, info.height);
    let colour_space: Option<(Object, i64)> = match colour {
        0 => Some(("DeviceGray".into(), 1)),
        2 => Some(("DeviceRGB".into(), 3)),
        3 => chunk(b"PLTE").map(|plte| {
            let n = (plte.len() / 3).max(1) as i64;
            let cs = vec![
                "Indexed".into(),
                "DeviceRGB".into(),
                (n - 1).into(),
                Object::String(
                    plte[..n as usize * 3].to_vec(),
                    lopdf::StringFormat::Hexadecimal,
                ),
            ];
            (Object::Array(cs), 1)
        }),
        _ => None,
    };
    if let (0, Some((cs, colours))) = (interlace, colour_space) {
        // The IDAT data is a zlib stream of predicted rows: exactly what FlateDecode with the PNG
        // predictors reads.
        let data: Vec<u8> = info
            .chunks
            .iter()
            .filter(|(k, _)| k == b"IDAT")
            .flat_map(|(_, d)| d.iter().copied())
            .collect();
        let mut dict = image_dict(width, height, cs, depth);
        dict.set("Filter", "FlateDecode");
        dict.set(
            "DecodeParms",
            dictionary! {
                "Predictor" => 15,
                "Colors" => colours,
                "BitsPerComponent" => depth as i64,
                "Columns" => width as i64,
            },
        );
        return Ok(PdfImage {
            width,
            height,
            dpi: believable(dpi),
            xobject: Stream::new(dict, data).with_compression(false),
        });
    }
    // Interlaced, or with an alpha channel: decode and keep the pixels without the alpha.
    decodable(width, height, 1)?;
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map_err(|e| format!("PNG: {e}"))?;
    let (cs, pixels): (&str, Vec<u8>) = if img.color().has_color() {
        ("DeviceRGB", img.to_rgb8().into_raw())
    } else {
        ("DeviceGray", img.to_luma8().into_raw())
    };
    Ok(PdfImage {
        width,
        height,
        dpi: believable(dpi),
        xobject: flate_image(width, height, cs.into(), 8, &pixels),
    })
}

/// An image XObject of raw samples compressed losslessly with Flate.
fn flate_image(width: u32, height: u32, colour_space: Object, bits: u8, samples: &[u8]) -> Stream {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(samples).expect("writing to memory");
    let mut dict = image_dict(width, height, colour_space, bits);
    dict.set("Filter", "FlateDecode");
    Stream::new(dict, enc.finish().expect("writing to memory")).with_compression(false)
}

fn tiff_pages(bytes: &[u8]) -> Result<Vec<PdfImage>, String> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let err = |e: tiff::TiffError| format!("TIFF: {e}");
    let mut dec = Decoder::new(Cursor::new(bytes)).map_err(err)?;
    let mut out = Vec::new();
    loop {
        let page = out.len() + 1;
        let (width, height) = dec.dimensions().map_err(err)?;
        let tag = |dec: &mut Decoder<_>, t| dec.find_tag_unsigned::<u32>(t).ok().flatten();
        let compression = tag(&mut dec, Tag::Compression).unwrap_or(1);
        let photometric = tag(&mut dec, Tag::PhotometricInterpretation).unwrap_or(0);
        let fill_order = tag(&mut dec, Tag::FillOrder).unwrap_or(1);
        let unit = tag(&mut dec, Tag::ResolutionUnit).unwrap_or(2);
        let dpi = match dec.find_tag(Tag::XResolution).ok().flatten() {
            Some(tiff::decoder::ifd::Value::Rational(n, d)) if d > 0 => {
                let per_unit = n as f64 / d as f64;
                Some(if unit == 3 { per_unit * 2.54 } else { per_unit }.round() as u32)
            }
            _ => None,
        };
        let strips = dec.get_tag_u64_vec(Tag::StripOffsets).ok();
        let counts = dec.get_tag_u64_vec(Tag::StripByteCounts).ok();
        let image = match (compression, strips.as_deref(), counts.as_deref()) {
            // One strip of CCITT Group 4 in the usual bit order: PDF reads it as it is.
            (4, Some([offset]), Some([count])) if fill_order == 1 => {
                let start = *offset as usize;
                let data = bytes
                    .get(start..start.saturating_add(*count as usize))
                    .ok_or_else(|| format!("TIFF page {page} is truncated"))?
                    .to_vec();
                let mut dict = image_dict(width, height, "DeviceGray".into(), 1);
                dict.set("Filter", "CCITTFaxDecode");
                dict.set(
                    "DecodeParms",
                    dictionary! {
                        "K" => -1,
                        "Columns" => width as i64,
                        "Rows" => height as i64,
                        // WhiteIsZero (0) means a set bit is black.
                        "BlackIs1" => photometric == 0,
                    },
                );
                Stream::new(dict, data).with_compression(false)
            }
            _ => {
                decodable(width, height, page)?;
                let colour = dec.colortype().map_err(err)?;
                let samples = match dec.read_image().map_err(err)? {
                    DecodingResult::U8(v) => v,
                    DecodingResult::U16(v) => v.iter().flat_map(|s| s.to_be_bytes()).collect(),
                    _ => return Err(format!("TIFF page {page}: sample format not supported")),
                };
                let n = width as usize * height as usize;
                use tiff::ColorType as C;
                let (cs, bits, samples) = match colour {
                    C::Gray(b @ (1 | 8 | 16)) => ("DeviceGray", b, samples),
                    C::RGB(b @ (8 | 16)) => ("DeviceRGB", b, samples),
                    C::RGBA(8) => (
                        "DeviceRGB",
                        8,
                        samples
                            .chunks_exact(4)
                            .take(n)
                            .flat_map(|p| [p[0], p[1], p[2]])
                            .collect(),
                    ),
                    other => {
                        return Err(format!(
                            "TIFF page {page}: colour type {other:?} not supported"
                        ));
                    }
                };
                // The decoder has already turned WhiteIsZero samples the PDF way round.
                flate_image(width, height, cs.into(), bits, &samples)
            }
        };
        out.push(PdfImage {
            width,
            height,
            dpi: believable(dpi),
            xobject: image,
        });
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(err)?;
    }
    Ok(out)
}
