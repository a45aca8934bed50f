/* 随手拍: fill the location on the resident's own device, only when they press a button.
   "使用当前位置" asks the browser (which asks the resident); "使用照片拍摄位置" reads the GPS tags of the
   chosen JPEG here, in the page. Nothing is sent until the form is submitted, and the resident must tick
   the confirmation box; the server re-encodes the photo, dropping all of its EXIF. */
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  if (!form) return;
  var lat = form.querySelector("[name=latitude]");
  var lon = form.querySelector("[name=longitude]");
  var confirm = form.querySelector("[name=location_confirmed]");
  var status = document.getElementById("location-status");
  var deviceBtn = document.getElementById("use-device-location");
  var photoBtn = document.getElementById("use-photo-location");
  var clearBtn = document.getElementById("clear-location");
  var photoInput = form.querySelector("[name=photo]");
  var photoPosition = null;
  form.querySelector(".geo-buttons").hidden = false;

  function fill(la, lo, source) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    confirm.checked = false;
    status.textContent = "已填入" + source + "（" + lat.value + ", " + lon.value + "），请核对后勾选确认。";
  }

  if (!("geolocation" in navigator)) deviceBtn.hidden = true;
  deviceBtn.addEventListener("click", function () {
    status.textContent = "正在获取当前位置……";
    navigator.geolocation.getCurrentPosition(
      function (p) { fill(p.coords.latitude, p.coords.longitude, "当前位置"); },
      function () { status.textContent = "未能获取当前位置，可以手工填写或不填。"; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
  photoBtn.addEventListener("click", function () {
    if (photoPosition) fill(photoPosition[0], photoPosition[1], "照片拍摄位置");
  });
  clearBtn.addEventListener("click", function () {
    lat.value = ""; lon.value = ""; confirm.checked = false;
    status.textContent = "位置已清除。";
  });

  // The GPS position of a JPEG's EXIF (APP1 → TIFF → IFD0 → GPS IFD), or null.
  function gpsOf(buf) {
    var v = new DataView(buf);
    if (v.byteLength < 4 || v.getUint16(0) !== 0xFFD8) return null;
    var off = 2;
    while (off + 4 <= v.byteLength) {
      var marker = v.getUint16(off);
      var size = v.getUint16(off + 2);
      if (marker === 0xFFE1 && v.getUint32(off + 4) === 0x45786966) return tiffGps(v, off + 10);
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return null;
      off += 2 + size;
    }
    return null;
  }
  function tiffGps(v, t) {
    var le = v.getUint16(t) === 0x4949;
    function u16(o) { return v.getUint16(t + o, le); }
    function u32(o) { return v.getUint32(t + o, le); }
    function entries(ifd, fn) {
      var n = u16(ifd);
      for (var i = 0; i < n; i++) fn(u16(ifd + 2 + i * 12), ifd + 2 + i * 12);
    }
    var gps = null;
    entries(u32(4), function (tag, e) { if (tag === 0x8825) gps = u32(e + 8); });
    if (gps === null) return null;
    var ref = {}, val = {};
    entries(gps, function (tag, e) {
      if (tag === 1 || tag === 3) ref[tag] = String.fromCharCode(v.getUint8(t + e + 8));
      if (tag === 2 || tag === 4) {
        var p = u32(e + 8), parts = [];
        for (var k = 0; k < 3; k++) parts.push(u32(p + k * 8) / (u32(p + k * 8 + 4) || 1));
        val[tag] = parts[0] + parts[1] / 60 + parts[2] / 3600;
      }
    });
    if (val[2] === undefined || val[4] === undefined) return null;
    return [ref[1] === "S" ? -val[2] : val[2], ref[3] === "W" ? -val[4] : val[4]];
  }

  photoInput.addEventListener("change", function () {
    photoPosition = null;
    photoBtn.hidden = true;
    var file = photoInput.files && photoInput.files[0];
    if (!file || !window.FileReader) return;
    var reader = new FileReader();
    reader.onload = function () {
      try { photoPosition = gpsOf(reader.result); } catch (err) { photoPosition = null; }
      if (photoPosition) {
        photoBtn.hidden = false;
        status.textContent = "照片中带有拍摄位置。如需使用，请点“使用照片拍摄位置”。";
      }
    };
    reader.readAsArrayBuffer(file.slice(0, 256 * 1024));
  });
})();
